import Foundation
import Testing

/// Bad `--backend` settings stop `serve` and `worker` at start with a message that says what is wrong.
@Suite(.timeLimit(.minutes(5)))
struct BackendOptionsTests {
    func refusal(_ arguments: [String]) async throws -> String {
        let process = try await ChildProcess(arguments: arguments)
        try await process.requireExit(within: .seconds(30))
        #expect(process.exitStatus != 0)
        return process.stderr
    }

    @Test(
        "a --backend that is not KIND=URL with a known kind and an http(s) URL is refused",
        arguments: ["comfy=http://gpu:8188", "a1111", "a1111=gpu1:7860", "a1111=ftp://gpu1:7860"])
    func malformedBackend(value: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let stderr = try await refusal(["serve", "--data-dir", directory.url.path, "--backend", value])
        #expect(stderr.contains("--backend"), "stderr: \(stderr)")
    }

    @Test("the same server given twice is refused")
    func duplicateBackend() async throws {
        let stderr = try await refusal([
            "worker", "--database-url", "postgres://postgres@127.0.0.1:1/x",
            "--backend", "a1111=http://gpu1:7860", "--backend", "a1111=http://gpu1:7860/",
        ])
        #expect(stderr.contains("different server"), "stderr: \(stderr)")
    }

    @Test("a models file that is not valid JSON is named in the error")
    func unreadableModelsFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let models = directory.url.appendingPathComponent("models.json")
        try Data("{not json".utf8).write(to: models)
        let stderr = try await refusal([
            "serve", "--data-dir", directory.url.path, "--port", "0", "--backend", "a1111=http://127.0.0.1:1",
            "--models", models.path,
        ])
        #expect(stderr.contains("--models \(models.path)"), "stderr: \(stderr)")
    }

    @Test("a ComfyUI workflow without a SaveImage node is refused at start")
    func workflowWithoutOutput() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let workflow = directory.url.appendingPathComponent("workflow.json")
        try Data(#"{"1": {"class_type": "UNETLoader", "inputs": {"unet_name": "{{unet}}"}}}"#.utf8).write(to: workflow)
        let stderr = try await refusal([
            "serve", "--data-dir", directory.url.path, "--port", "0", "--backend", "comfyui=http://127.0.0.1:1",
            "--comfyui-workflow", workflow.path,
        ])
        #expect(stderr.contains("SaveImage"), "stderr: \(stderr)")
    }
}
