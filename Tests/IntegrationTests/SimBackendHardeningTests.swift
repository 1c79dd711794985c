import Foundation
import NIOHTTP1
import Testing

/// Hostile inputs to `darkroom sim-backend`: each gets the error answer the real server gives (or the
/// nearest one the simulator can model) instead of crashing the process, which keeps serving afterwards.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct SimBackendHardeningTests {
    /// A body that once trapped the simulated WebUI, and the error it must answer with now.
    struct HostileTxt2Img: Sendable, CustomTestStringConvertible {
        var name: String
        var body: String
        var status: Int
        var error: String

        var testDescription: String { name }
    }

    static let hostileTxt2Img = [
        HostileTxt2Img(
            name: "batch_size × n_iter overflows", body: #"{"batch_size": 4611686018427387904, "n_iter": 4}"#,
            status: 500, error: "OverflowError"),
        HostileTxt2Img(
            name: "n_iter near Int64.max", body: #"{"n_iter": 9223372036854775807, "width": 8, "height": 8}"#,
            status: 500, error: "MemoryError"),
        HostileTxt2Img(
            name: "width and height near 2^31", body: #"{"width": 2147483647, "height": 2147483647, "steps": 1}"#,
            status: 500, error: "OutOfMemoryError"),
        HostileTxt2Img(
            name: "width and height at Int64.max",
            body: #"{"width": 9223372036854775807, "height": 9223372036854775807, "steps": 1}"#, status: 500,
            error: "OutOfMemoryError"),
        HostileTxt2Img(
            name: "steps at Int64.max on a tiny image",
            body: #"{"width": 8, "height": 8, "steps": 9223372036854775807}"#,
            status: 500, error: "OutOfMemoryError"),
        HostileTxt2Img(
            name: "seed + 1 past Int64.max",
            body: #"{"seed": 9223372036854775807, "batch_size": 2, "width": 8, "height": 8, "steps": 1}"#, status: 500,
            error: "RuntimeError"),
    ]

    func start(_ kind: String) async throws -> ServerProcess {
        try await ServerProcess.launch(
            ["sim-backend", "--protocol", kind, "--host", "127.0.0.1", "--port", "0", "--seconds", "0.05"])
    }

    func txt2img(_ api: APIClient, raw body: String) async throws -> HTTPAnswer {
        try await api.post("/sdapi/v1/txt2img", raw: body)
    }

    /// A normal request still succeeds: the process survived what came before.
    func expectServing(_ server: ServerProcess, kind: String) async throws {
        #expect(server.child.isRunning, "\(server.log)")
        if kind == "a1111" {
            let answer = try await txt2img(server.api, raw: #"{"width": 64, "height": 64, "steps": 2}"#)
            #expect(answer.status == 200, "\(answer.text)")
            #expect((try jsonObject(answer.body)["images"] as? [String])?.count == 1)
        } else {
            let status = try await comfyRun(server.api, ZImageGraph.body(clientID: "alive", seed: 7, steps: 2))
            #expect(status == "success")
        }
    }

    /// Posts a ComfyUI prompt that validation accepts and waits for its history `status_str`.
    func comfyRun(_ api: APIClient, _ body: Data) async throws -> String {
        let posted = try await api.request(.POST, "/prompt", body: body)
        #expect(posted.status == 200, "\(posted.text)")
        let promptID = try #require(try jsonObject(posted.body)["prompt_id"] as? String)
        return try await waitUntil("prompt \(promptID) is in history", every: .milliseconds(20)) {
            let entry = try jsonObject(try await api.get("/history/\(promptID)").body)[promptID] as? [String: Any]
            return (entry?["status"] as? [String: Any])?["status_str"] as? String
        }
    }

    /// The Z-Image graph with its literal seed replaced by `seed`, written as JSON text.
    func comfyBody(seed: String, batchSize: Int = 1) -> Data {
        let text = String(decoding: ZImageGraph.body(clientID: "h", batchSize: batchSize, steps: 2), as: UTF8.self)
        return Data(text.replacingOccurrences(of: "\"seed\": 123456789", with: "\"seed\": \(seed)").utf8)
    }

    static func nested(_ depth: Int) -> String {
        String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    }

    // MARK: A1111

    @Test(
        "A1111 answers each hostile txt2img body with upstream's 500 error and keeps serving", arguments: hostileTxt2Img
    )
    func a1111HostileNumbers(_ hostile: HostileTxt2Img) async throws {
        let server = try await start("a1111")
        defer { server.stop() }
        let answer = try await txt2img(server.api, raw: hostile.body)
        #expect(answer.status == hostile.status, "\(answer.text)")
        let body = try jsonObject(answer.body)
        #expect(body["error"] as? String == hostile.error, "\(answer.text)")
        #expect(body["detail"] as? String == "" && body["body"] as? String == "")
        try await expectServing(server, kind: "a1111")
    }

    @Test("A1111 answers JSON nested past Python's recursion limit with FastAPI's 400 and accepts 1000 levels")
    func a1111DeepJSON() async throws {
        let server = try await start("a1111")
        defer { server.stop() }
        for path in ["/sdapi/v1/txt2img", "/sdapi/v1/options", "/internal/progress"] {
            let answer = try await server.api.post(path, raw: #"{"script_args": \#(Self.nested(100_000))}"#)
            #expect(answer.status == 400, "\(path): \(answer.text)")
            let body = try jsonObject(answer.body)
            #expect(body["error"] as? String == "HTTPException")
            #expect(body["detail"] as? String == "There was an error parsing the body")
            #expect(body["errors"] as? String == "400: There was an error parsing the body")
        }
        let deepest = try await txt2img(
            server.api, raw: #"{"script_args": \#(Self.nested(999)), "width": 8, "height": 8, "steps": 1}"#)
        #expect(deepest.status == 200, "999 arrays inside the body object are 1000 levels: \(deepest.text.prefix(300))")
        try await expectServing(server, kind: "a1111")
    }

    @Test("A1111 accepts the last seeds that fit in 64 bits: seed Int64.max - 1 with batch_size 2")
    func a1111LargestSeeds() async throws {
        let server = try await start("a1111")
        defer { server.stop() }
        let answer = try await txt2img(
            server.api, raw: #"{"seed": 9223372036854775806, "batch_size": 2, "width": 8, "height": 8, "steps": 1}"#)
        #expect(answer.status == 200, "\(answer.text)")
        let info = try jsonObject(Data(try #require(try jsonObject(answer.body)["info"] as? String).utf8))
        #expect(info["all_seeds"] as? [Int] == [Int.max - 1, Int.max])
    }

    // MARK: ComfyUI

    @Test("ComfyUI runs seed 18446744073709551615 (its max) and Int64.max with a batch of 2; refuses -1 and 1e30")
    func comfySeeds() async throws {
        let server = try await start("comfyui")
        defer { server.stop() }
        #expect(try await comfyRun(server.api, comfyBody(seed: "18446744073709551615")) == "success")
        #expect(try await comfyRun(server.api, comfyBody(seed: "9223372036854775807", batchSize: 2)) == "success")
        for (seed, type) in [("-1", "value_smaller_than_min"), ("1e30", "value_bigger_than_max")] {
            let answer = try await server.api.request(.POST, "/prompt", body: comfyBody(seed: seed))
            #expect(answer.status == 400, "\(answer.text)")
            let body = try jsonObject(answer.body)
            #expect((body["error"] as? [String: Any])?["type"] as? String == "prompt_outputs_failed_validation")
            let node = (body["node_errors"] as? [String: Any])?["9"] as? [String: Any]
            #expect((node?["errors"] as? [[String: Any]])?.first?["type"] as? String == type, "\(answer.text)")
        }
        try await expectServing(server, kind: "comfyui")
    }

    @Test("ComfyUI answers JSON nested past Python's recursion limit with aiohttp's 500 text")
    func comfyDeepJSON() async throws {
        let server = try await start("comfyui")
        defer { server.stop() }
        for path in ["/prompt", "/interrupt", "/queue", "/history"] {
            let answer = try await server.api.post(path, raw: #"{"prompt": \#(Self.nested(100_000))}"#)
            #expect(answer.status == 500, "\(path): \(answer.text)")
            #expect(answer.text.hasPrefix("500 Internal Server Error"), "\(path): \(answer.text)")
        }
        try await expectServing(server, kind: "comfyui")
    }

    @Test("ComfyUI refuses a chain of 5000 linked nodes with a RecursionError node error, as validate_inputs does")
    func comfyDeepGraph() async throws {
        let server = try await start("comfyui")
        defer { server.stop() }
        var text = String(decoding: ZImageGraph.body(clientID: "chain", steps: 2), as: UTF8.self)
        // Node 4 (the LoRA loader) takes its model through 5000 more LoRA loaders instead of from node 1.
        let links = (0..<5000).map { index in
            let source = index == 0 ? "1" : "c\(index - 1)"
            return #""c\#(index)": {"class_type": "LoraLoaderModelOnly", "inputs": {"model": ["\#(source)", 0], "#
                + #""lora_name": "AWPortrait-Z.safetensors", "strength_model": 1.0}},"#
        }
        text = text.replacingOccurrences(of: #""model": ["1", 0]"#, with: #""model": ["c4999", 0]"#)
        text = text.replacingOccurrences(of: #"{"prompt": {"#, with: #"{"prompt": {"# + links.joined())
        let answer = try await server.api.post("/prompt", raw: text)
        #expect(answer.status == 400, "\(answer.text.prefix(500))")
        let body = try jsonObject(answer.body)
        #expect((body["error"] as? [String: Any])?["type"] as? String == "prompt_outputs_failed_validation")
        let reasons = (body["node_errors"] as? [String: [String: Any]])?.values.compactMap {
            ($0["errors"] as? [[String: Any]])?.first
        }
        let reason = try #require(reasons?.first)
        #expect(reason["type"] as? String == "exception_during_inner_validation")
        #expect((reason["extra_info"] as? [String: Any])?["exception_type"] as? String == "RecursionError")
        try await expectServing(server, kind: "comfyui")
    }

    @Test("ComfyUI fails an unsampled decode of 4096 16384² latents with a CUDA OOM instead of rendering it")
    func comfyHugeDecode() async throws {
        let server = try await start("comfyui")
        defer { server.stop() }
        var text = String(
            decoding: ZImageGraph.body(clientID: "decode", width: 16384, height: 16384, batchSize: 4096), as: UTF8.self)
        text = text.replacingOccurrences(of: #""samples": ["9", 0]"#, with: #""samples": ["8", 0]"#)
        #expect(try await comfyRun(server.api, Data(text.utf8)) == "error")
        try await expectServing(server, kind: "comfyui")
    }

    @Test("ComfyUI pages history with max_items=Int.min without overflowing")
    func comfyHistoryPaging() async throws {
        let server = try await start("comfyui")
        defer { server.stop() }
        try await expectServing(server, kind: "comfyui")
        let page = try await server.api.get("/history?max_items=-9223372036854775808")
        #expect(page.status == 200 && page.text == "{}", "\(page.text.prefix(300))")
        try await expectServing(server, kind: "comfyui")
    }
}
