import Foundation
import Testing

@testable import DarkroomBackends

@Suite struct A1111ErrorAnswerTests {
    func error(_ status: Int, _ body: String) -> BackendError {
        A1111ErrorAnswer.backendError(for: BackendTestFixtures.answer(status, body))
    }

    @Test("A1111's own error shape: detail first, else errors")
    func a1111Shape() {
        let notFound = #"{"error": "HTTPException", "detail": "Sampler not found", "body": "", "errors": "400: x"}"#
        #expect(error(400, notFound) == .rejected("Sampler not found"))
        let script = #"{"error": "HTTPException", "detail": "", "body": "", "errors": "Script 'x' not found"}"#
        #expect(error(422, script) == .rejected("Script 'x' not found"))
        #expect(
            error(401, #"{"detail": "Incorrect username or password"}"#) == .rejected("Incorrect username or password"))
    }

    @Test("FastAPI validation items become location: message")
    func fastAPIValidation() {
        let body = #"""
            {"detail": [{"loc": ["body", "steps"], "msg": "value is not a valid integer", "type": "type_error"},
                        {"loc": ["body", 3], "msg": "field required"}]}
            """#
        #expect(error(422, body) == .rejected("body.steps: value is not a valid integer; body.3: field required"))
    }

    @Test("plain text and empty bodies still give a message")
    func plainText() {
        #expect(error(404, "  Not Found\n") == .rejected("Not Found"))
        #expect(error(400, "") == .rejected("HTTP 400"))
        #expect(error(400, "{}") == .rejected("{}"))
    }

    @Test("5xx is a server error with its status", arguments: [500, 502, 503])
    func serverError(status: Int) {
        #expect(error(status, "Internal Server Error") == .serverError(status: status))
        #expect(
            error(status, #"{"error": "RuntimeError", "detail": "", "errors": "boom"}"#) == .serverError(status: status)
        )
    }

    @Test("a CUDA out-of-memory is outOfMemory, in any of the body shapes")
    func outOfMemory() {
        #expect(error(500, #"{"error": "OutOfMemoryError", "detail": "", "errors": "CUDA error"}"#) == .outOfMemory)
        #expect(error(500, #"{"error": "torch.OutOfMemoryError", "errors": "x"}"#) == .outOfMemory)
        #expect(error(500, "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2 GiB") == .outOfMemory)
        #expect(error(500, #"{"detail": "CUDA Out Of Memory"}"#) == .outOfMemory)
    }

    @Test("an out-of-memory text in a 4xx is still the client's error")
    func outOfMemoryOnlyFor5xx() {
        #expect(error(422, #"{"detail": "out of memory"}"#) == .rejected("out of memory"))
    }

    @Test("long messages are cut")
    func longMessage() {
        guard case .rejected(let message) = error(400, String(repeating: "x", count: 2_000)) else {
            Issue.record("expected rejected")
            return
        }
        #expect(message.count == 301)
    }

    @Test("other statuses are bad responses")
    func otherStatus() {
        #expect(error(302, "") == .badResponse("unexpected HTTP status 302"))
    }
}
