import DarkroomBench
import Testing

@Suite struct RampScheduleTests {
    private let seed = RampSchedule(users: 200, startUsers: 50, spawnRate: 10)

    @Test("the seed's ramp: 50 at once, 10 more each second, 200 after 15 s")
    func seedRamp() {
        #expect(seed.activeUsers(at: .zero) == 50)
        #expect(seed.activeUsers(at: .milliseconds(99)) == 50)
        #expect(seed.activeUsers(at: .milliseconds(100)) == 51)
        #expect(seed.activeUsers(at: .seconds(1)) == 60)
        #expect(seed.activeUsers(at: .milliseconds(14_950)) == 199)
        #expect(seed.activeUsers(at: .seconds(15)) == 200)
        #expect(seed.activeUsers(at: .seconds(600)) == 200)
        #expect(seed.rampDuration == .seconds(15))
    }

    @Test("nobody runs before the start")
    func beforeStart() {
        #expect(seed.activeUsers(at: .milliseconds(-1)) == 0)
    }

    @Test("start offsets agree with the active count at every user's start")
    func offsetsMatchCount() {
        for index in 0..<seed.users {
            let offset = seed.startOffset(ofUser: index)
            #expect(seed.activeUsers(at: offset) >= index + 1, "user \(index) starts at \(offset)")
        }
        #expect(seed.startOffset(ofUser: 49) == .zero)
        #expect(seed.startOffset(ofUser: 50) == .milliseconds(100))
    }

    @Test("a flat load starts everyone at once, whatever the spawn rate")
    func flat() {
        let flat = RampSchedule(users: 4, startUsers: 4, spawnRate: 0)
        #expect(flat.activeUsers(at: .zero) == 4)
        #expect(flat.startOffset(ofUser: 3) == .zero)
        #expect(flat.rampDuration == .zero)
    }
}
