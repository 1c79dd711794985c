import Foundation
import Testing

/// `darkroom submit` as a user runs it, against a running `darkroom serve`.
@Suite(.serialized)
struct SubmitCommandTests {
    @Test("darkroom submit writes the PNG and exits 0")
    func submitWritesPNG() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess.start(
            dataDirectory: directory.url.appendingPathComponent("data"),
            options: ["--sim-gpus", "1", "--sim-seconds", "0.4"])
        defer { server.stop() }

        let out = directory.url.appendingPathComponent("portrait.png")
        let submit = try await Self.run([
            "submit", "--server", server.baseURL, "--prompt", "a quiet portrait", "--width", "512", "--height", "768",
            "--seed", "7", "--out", out.path,
        ])
        #expect(submit.exitStatus == 0, "stderr: \(submit.stderr)")
        let png = try Data(contentsOf: out)
        #expect(PNGHeader(png) == PNGHeader(width: 512, height: 768))
        #expect(submit.stdout.contains(sha256Hex(png)), "stdout names the image's sha256: \(submit.stdout)")
    }

    @Test("darkroom submit with width 1000 exits non-zero and prints the problem's detail")
    func submitReportsProblem() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess.start(
            dataDirectory: directory.url.appendingPathComponent("data"),
            options: ["--sim-gpus", "1", "--sim-seconds", "0.4"])
        defer { server.stop() }

        let out = directory.url.appendingPathComponent("never.png")
        let submit = try await Self.run([
            "submit", "--server", server.baseURL, "--prompt", "too wide", "--width", "1000", "--out", out.path,
        ])
        #expect(submit.exitStatus != 0 && submit.exitStatus != nil)
        #expect(submit.stderr.contains("width is 1000"), "stderr: \(submit.stderr)")
        #expect(submit.stderr.contains("invalid_dimension"), "stderr: \(submit.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(try await server.api.jobs().isEmpty)
    }

    /// Runs the binary to completion (bounded) and returns the stopped process with its output.
    private static func run(_ arguments: [String]) async throws -> ChildProcess {
        let child = try await ChildProcess(arguments: arguments)
        defer { child.stop() }
        try await child.requireExit(within: .seconds(60))
        return child
    }
}
