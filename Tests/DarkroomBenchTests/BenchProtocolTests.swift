import DarkroomBench
import Testing

@Suite struct BenchProtocolTests {
    @Test("the protocols are named as the command line spells them")
    func names() {
        #expect(BenchProtocol.allCases.map(\.rawValue) == ["darkroom", "a1111"])
    }
}
