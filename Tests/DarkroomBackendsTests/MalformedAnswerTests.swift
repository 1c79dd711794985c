import AsyncHTTPClient
import DarkroomBackends
import DarkroomCore
import DarkroomWire
import Foundation
import HTTPTypes
import Testing

/// Real backends against a server that answers in the wrong shape: each case ends the attempt with a clear,
/// retryable `backend_bad_response` (a backend fault), never a crash or a hang.
@Suite(.timeLimit(.minutes(5))) struct MalformedAnswerTests {
    typealias Answer = MisbehavingServer.Answer
    static let request = GenerationRequest(prompt: "portrait", width: 64, height: 64, seed: 5)
    static let idleProgress = Answer.json(#"{"progress": 0, "eta_relative": 0, "state": {"job_count": 0}}"#)

    func a1111(_ txt2img: Answer) async throws -> BackendError? {
        try await MisbehavingServer.withServer(
            ["/sdapi/v1/txt2img": txt2img, "/sdapi/v1/progress": Self.idleProgress]
        ) { url, client in
            let backend = A1111Backend(
                id: "broken", baseURL: url, httpClient: client, logger: SimulatorHarness.quietLogger)
            do {
                _ = try await backend.generate(Self.request) { _ in }
                return nil
            } catch let error as BackendError {
                return error
            }
        }
    }

    @Test(
        "A1111: a 200 that is not the txt2img shape fails the attempt with backend_bad_response",
        arguments: [
            ("an HTML page", Answer.htmlErrorPage),
            ("truncated JSON", Answer.json(#"{"images": ["iVBORw0KGgo"#)),
            ("no images", Answer.json(#"{"parameters": {}, "info": "{}"}"#)),
            ("an empty image list", Answer.json(#"{"images": [], "info": "{}"}"#)),
            ("a JPEG", Answer.json(#"{"images": ["/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAA=="], "info": "{}"}"#)),
            ("invalid base64", Answer.json(#"{"images": ["%%%not base64%%%"], "info": "{}"}"#)),
        ])
    func a1111Malformed(label: String, answer: Answer) async throws {
        let error = try #require(try await a1111(answer), "\(label) was accepted")
        guard case .badResponse(let reason) = error else {
            Issue.record("\(label): \(error)")
            return
        }
        #expect(!reason.isEmpty)
        #expect(error.code == "backend_bad_response" && error.isRetryable && error.isBackendFault)
    }

    @Test("A1111: a 500 HTML page from a proxy is a server error, not a crash")
    func a1111ProxyError() async throws {
        var page = Answer.htmlErrorPage
        page.status = .internalServerError
        #expect(try await a1111(page) == .serverError(status: 500))
    }

    @Test("A1111: health is unreachable when /sdapi/v1/memory is not JSON")
    func a1111HealthGarbage() async throws {
        try await MisbehavingServer.withServer(["/sdapi/v1/memory": .htmlErrorPage]) { url, client in
            let backend = A1111Backend(
                id: "broken", baseURL: url, httpClient: client,
                configuration: .init(probeTimeout: .seconds(120)), logger: SimulatorHarness.quietLogger)
            let health = await backend.health()
            #expect(!health.isReachable)
            #expect(health.gpuMemory == nil)
            #expect(health.problem?.contains("JSON") == true)
        }
    }

    @Test("ComfyUI: /view answering an HTML page instead of the PNG fails the attempt with backend_bad_response")
    func comfyViewNotPNG() async throws {
        let history = Answer.json(
            #"""
            {"p1": {"outputs": {"11": {"images": [{"filename": "x_00001_.png", "subfolder": "darkroom", "type": "output"}]}},
                    "status": {"status_str": "success", "completed": true, "messages": []}}}
            """#)
        let answers: [String: Answer] = [
            "/prompt": .json(#"{"prompt_id": "p1", "number": 1, "node_errors": {}}"#),
            "/history/p1": history,
            "/view": .htmlErrorPage,
        ]
        try await MisbehavingServer.withServer(answers) { url, client in
            let backend = ComfyUIBackend(
                id: "broken", baseURL: url, httpClient: client,
                configuration: .init(historyPollInterval: .milliseconds(50)), logger: SimulatorHarness.quietLogger)
            await #expect {
                _ = try await backend.generate(Self.request) { _ in }
            } throws: { error in
                guard case .badResponse = error as? BackendError else { return false }
                return true
            }
        }
    }

    @Test("ComfyUI: a /prompt answer that is not JSON fails the attempt with backend_bad_response")
    func comfyPromptGarbage() async throws {
        try await MisbehavingServer.withServer(["/prompt": .htmlErrorPage]) { url, client in
            let backend = ComfyUIBackend(
                id: "broken", baseURL: url, httpClient: client, logger: SimulatorHarness.quietLogger)
            await #expect {
                _ = try await backend.generate(Self.request) { _ in }
            } throws: { error in
                guard case .badResponse = error as? BackendError else { return false }
                return true
            }
        }
    }
}
