import DarkroomBench
import Testing

@Suite struct LoadModelTests {
    @Test("the connection pool is sized for every transaction that can be in flight")
    func maximumInFlight() {
        let closed = LoadModel.closedLoop(RampSchedule(users: 200, startUsers: 50, spawnRate: 10), think: .seconds(1))
        #expect(closed.maximumInFlight(timeout: .seconds(60)) == 200)
        #expect(LoadModel.openLoop(arrivalsPerSecond: 2.5).maximumInFlight(timeout: .seconds(60)) == 150)
    }

    @Test("the summary names the ramp or the arrival rate")
    func summary() {
        let ramp = LoadModel.closedLoop(RampSchedule(users: 200, startUsers: 50, spawnRate: 10), think: .seconds(1))
        #expect(ramp.summary == "closed loop, 50→200 users (+10/s), think 1s")
        let flat = LoadModel.closedLoop(RampSchedule(users: 4, startUsers: 4, spawnRate: 1), think: .zero)
        #expect(flat.summary == "closed loop, 4 users, think 0s")
        #expect(LoadModel.openLoop(arrivalsPerSecond: 2.5).summary == "open loop, 2.5 arrivals/s")
    }
}

struct LittleLatencyTests {
    @Test("closed loop: users ÷ throughput − think; open loop and no throughput: none")
    func littlesLaw() {
        let seed = LoadModel.closedLoop(RampSchedule(users: 200, startUsers: 50, spawnRate: 10), think: .seconds(1))
        #expect(seed.littleLatency(atThroughput: 3.75).map { abs($0 - 52.333) < 0.001 } == true)
        #expect(seed.littleLatency(atThroughput: 0) == nil)
        #expect(LoadModel.openLoop(arrivalsPerSecond: 5).littleLatency(atThroughput: 5) == nil)
    }
}
