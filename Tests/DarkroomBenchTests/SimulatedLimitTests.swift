import Testing

@testable import DarkroomBench

@Suite struct SimulatedLimitTests {
    @Test("slots ÷ S, with S scaled by pixels and steps as the simulators do")
    func limit() throws {
        let full = try #require(ThroughputLimit.simulated(slots: 3, secondsPerImage: 0.8, request: RequestShape()))
        #expect(abs(full.perSecond - 3.75) < 1e-9)
        #expect(full.source == "3 slots ÷ 0.800 s simulated")
        let quarter = try #require(
            ThroughputLimit.simulated(
                slots: 1, secondsPerImage: 0.8, request: RequestShape(width: 512, height: 512, steps: 16)))
        #expect(abs(quarter.perSecond - 2.5) < 1e-9, "512² at 16 steps is 0.4 s")
        #expect(quarter.source == "1 slot ÷ 0.400 s simulated")
    }

    @Test("unknown when the service time is 0")
    func instant() {
        #expect(ThroughputLimit.simulated(slots: 1, secondsPerImage: 0, request: RequestShape()) == nil)
    }
}
