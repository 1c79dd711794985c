import Foundation
import Testing

@testable import DarkroomBackends

@Suite struct ComfyUIPromptAnswerTests {
    static let unknownLoRA = #"""
        {"error": {"type": "prompt_outputs_failed_validation", "message": "Prompt outputs failed validation",
                   "details": "", "extra_info": {}},
         "node_errors": {"4": {"errors": [{
                   "type": "value_not_in_list", "message": "Value not in list",
                   "details": "lora_name: 'nope.safetensors' not in ['AWPortrait-Z.safetensors']",
                   "extra_info": {"input_name": "lora_name"}}],
                               "dependent_outputs": ["11"], "class_type": "LoraLoaderModelOnly"}}}
        """#

    @Test("a 400 with node errors names the class, node, message and details")
    func nodeErrors() {
        let error = ComfyUIPromptAnswer.backendError(for: BackendTestFixtures.answer(400, Self.unknownLoRA))
        let expected =
            "LoraLoaderModelOnly (node 4): Value not in list: "
            + "lora_name: 'nope.safetensors' not in ['AWPortrait-Z.safetensors']"
        #expect(error == .rejected(expected))
    }

    @Test("several nodes and errors are listed in node order")
    func severalNodes() {
        let body = #"""
            {"error": {"type": "prompt_outputs_failed_validation", "message": "x", "details": ""},
             "node_errors": {
               "10": {"errors": [{"message": "Required input is missing", "details": "vae"}],
                      "class_type": "VAEDecode"},
               "9": {"errors": [{"message": "Value smaller than min", "details": "steps: 0"},
                                {"message": "Value not in list", "details": ""}], "class_type": "KSampler"},
               "2": {"errors": [], "class_type": "CLIPLoader"}}}
            """#
        let error = ComfyUIPromptAnswer.backendError(for: BackendTestFixtures.answer(400, body))
        let expected = [
            "CLIPLoader (node 2): failed validation", "KSampler (node 9): Value smaller than min: steps: 0",
            "KSampler (node 9): Value not in list", "VAEDecode (node 10): Required input is missing: vae",
        ].joined(separator: "; ")
        #expect(error == .rejected(expected))
    }

    @Test("without node errors, the top-level error's message and details")
    func topLevelError() {
        let missingClass = #"""
            {"error": {"type": "invalid_prompt",
                       "message": "Cannot execute because a node is missing the class_type property.",
                       "details": "Node ID '#5'", "extra_info": {}}, "node_errors": {}}
            """#
        #expect(
            ComfyUIPromptAnswer.backendError(for: BackendTestFixtures.answer(400, missingClass))
                == .rejected("Cannot execute because a node is missing the class_type property.: Node ID '#5'"))
        let old = #"{"error": "no prompt", "node_errors": []}"#
        #expect(ComfyUIPromptAnswer.backendError(for: BackendTestFixtures.answer(400, old)) == .rejected("no prompt"))
        let typeOnly = #"{"error": {"type": "invalid_prompt", "message": "", "details": ""}, "node_errors": {}}"#
        #expect(
            ComfyUIPromptAnswer.backendError(for: BackendTestFixtures.answer(400, typeOnly))
                == .rejected("invalid_prompt"))
    }

    @Test(
        "a 4xx ComfyUI's validation never sends is the backend's fault, not the job's",
        arguments: [
            (401, "401 Unauthorized"), (403, ""), (404, "404: Not Found"), (405, "405: Method Not Allowed"),
            (413, "<html>413 Request Entity Too Large</html>"), (429, #"{"message": "slow down"}"#),
            (400, "<html>400 Bad Request</html>"), (400, #"{"detail": "bad"}"#),
        ])
    func foreignClientErrors(status: Int, body: String) {
        let error = ComfyUIPromptAnswer.backendError(for: BackendTestFixtures.answer(status, body))
        guard case .unavailable(let detail) = error else {
            Issue.record("expected unavailable, got \(error)")
            return
        }
        #expect(detail.hasPrefix("\(status) from POST /prompt"))
        #expect(error.isBackendFault && error.isRetryable)
    }

    @Test("5xx is a server error")
    func serverError() {
        let answer = BackendTestFixtures.answer(500, "500 Internal Server Error\n\nServer got itself in trouble")
        #expect(ComfyUIPromptAnswer.backendError(for: answer) == .serverError(status: 500))
    }

    @Test("a 200 gives the server's prompt id, ours when it sends none")
    func accepted() throws {
        func acceptance(_ body: String, submitted: String) throws -> ComfyUIPromptAnswer.Acceptance {
            try ComfyUIPromptAnswer.acceptance(from: BackendTestFixtures.answer(200, body), submitted: submitted)
        }
        let ours = #"{"prompt_id": "abc", "number": 3.0, "node_errors": {}}"#
        #expect(try acceptance(ours, submitted: "abc") == .queued(promptID: "abc"))
        let theirs = #"{"prompt_id": "server-made", "number": 1, "node_errors": {}}"#
        #expect(try acceptance(theirs, submitted: "x") == .queued(promptID: "server-made"))
        #expect(try acceptance("{}", submitted: "x") == .queued(promptID: "x"))
    }

    @Test("a 200 with node errors was queued in part: the prompt is to be withdrawn and the job refused")
    func acceptedWithNodeErrors() throws {
        let body = #"""
            {"prompt_id": "abc", "number": 1,
             "node_errors": {"12": {"errors": [{"message": "Value not in list", "details": "lora_name: 'x'"}],
                                    "class_type": "LoraLoaderModelOnly"}}}
            """#
        let acceptance = try ComfyUIPromptAnswer.acceptance(
            from: BackendTestFixtures.answer(200, body), submitted: "ours")
        #expect(
            acceptance
                == .queuedInPart(
                    promptID: "abc", .rejected("LoraLoaderModelOnly (node 12): Value not in list: lora_name: 'x'")))
    }

    @Test("a 200 that is not a JSON object is a bad response")
    func notJSON() {
        #expect(throws: BackendError.badResponse("the /prompt answer is not a JSON object")) {
            try ComfyUIPromptAnswer.acceptance(from: BackendTestFixtures.answer(200, "[]"), submitted: "abc")
        }
    }
}
