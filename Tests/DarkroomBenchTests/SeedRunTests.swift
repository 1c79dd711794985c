import DarkroomBench
import Foundation
import Testing

@Suite struct SeedRunTests {
    @Test("parses a subset of the runs in the order given, without repeats")
    func list() throws {
        #expect(try SeedRun.list("webui,darkroom-1,darkroom-3") == [.webui, .darkroom1, .darkroom3])
        #expect(try SeedRun.list("darkroom-3, webui,darkroom-3") == [.darkroom3, .webui])
    }

    @Test("rejects an unknown run and an empty list", arguments: ["webui,darkroom-2", "", ","])
    func rejects(text: String) {
        #expect(throws: BenchConfigurationError.self) { try SeedRun.list(text) }
    }

    @Test("webui starts one simulated A1111 server; the Darkroom runs start serve with their GPUs")
    func arguments() {
        let directory = URL(fileURLWithPath: "/tmp/data")
        #expect(
            SeedRun.webui.arguments(simSeconds: 0.8, dataDirectory: directory) == [
                "sim-backend", "--protocol", "a1111", "--host", "127.0.0.1", "--port", "0", "--seconds", "0.8",
            ])
        #expect(
            SeedRun.darkroom3.arguments(simSeconds: 0.8, dataDirectory: directory) == [
                "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", "/tmp/data", "--sim-gpus", "3",
                "--sim-seconds", "0.8",
            ])
        #expect(SeedRun.webui.protocol == .a1111 && SeedRun.darkroom1.protocol == .darkroom)
        #expect(SeedRun.allCases.map(\.slots) == [1, 1, 3])
    }
}
