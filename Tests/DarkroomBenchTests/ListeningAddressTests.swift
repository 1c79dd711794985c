import Testing

@testable import DarkroomBench

@Suite struct ListeningAddressTests {
    @Test("reads address= from the Darkroom listening line")
    func finds() {
        let log = """
            2026-01-01T00:00:00+0000 info darkroom : [DarkroomSimulator] Starting
            2026-01-01T00:00:00+0000 info darkroom : address=http://127.0.0.1:41234 [darkroom] Darkroom listening
            """
        #expect(ListeningAddress.find(in: log) == "http://127.0.0.1:41234")
    }

    @Test("nothing before the line is logged, or when it has no address")
    func missing() {
        #expect(ListeningAddress.find(in: "") == nil)
        #expect(ListeningAddress.find(in: "info darkroom : address=http://127.0.0.1:1 Starting\n") == nil)
        #expect(ListeningAddress.find(in: "info darkroom : Darkroom listening\n") == nil)
    }
}
