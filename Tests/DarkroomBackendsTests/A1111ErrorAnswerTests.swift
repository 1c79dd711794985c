import DarkroomWire
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
    }

    @Test("4xx other than validation is the server's fault: unavailable, with status and reason")
    func otherClientErrors() {
        #expect(
            error(401, #"{"detail": "Incorrect username or password"}"#)
                == .unavailable("401 Incorrect username or password"))
        #expect(error(403, "<html>Forbidden</html>") == .unavailable("403 <html>Forbidden</html>"))
        #expect(error(404, #"{"detail": "Not Found"}"#) == .unavailable("404 Not Found"))
        #expect(error(405, #"{"detail": "Method Not Allowed"}"#) == .unavailable("405 Method Not Allowed"))
        #expect(error(408, "") == .unavailable("408 HTTP 408"))
        #expect(error(413, "Request Entity Too Large") == .unavailable("413 Request Entity Too Large"))
        #expect(error(429, #"{"detail": "Too many requests"}"#) == .unavailable("429 Too many requests"))
        for status in [401, 403, 404, 405, 408, 413, 429, 451] {
            let mapped = error(status, "x")
            #expect(mapped.isBackendFault && mapped.isRetryable, "\(status)")
        }
    }

    @Test("400 and 422 are the job's fault, not retried")
    func validationIsRejected() {
        for status in [400, 422] {
            let mapped = error(status, #"{"detail": "bad"}"#)
            #expect(mapped == .rejected("bad"))
            #expect(!mapped.isBackendFault && !mapped.isRetryable)
        }
    }

    @Test("a 404 naming a missing sampler (older builds) is rejected, a missing route is not")
    func notFoundThing() {
        let sampler = #"{"error": "HTTPException", "detail": "Sampler not found", "body": "", "errors": "404: x"}"#
        #expect(error(404, sampler) == .rejected("Sampler not found"))
        #expect(error(404, "Sampler not found") == .unavailable("404 Sampler not found"))
    }

    @Test("the reason in unavailable is cut short")
    func shortReason() {
        guard case .unavailable(let reason) = error(403, String(repeating: "y", count: 2_000)) else {
            Issue.record("expected unavailable")
            return
        }
        #expect(reason == "403 " + String(repeating: "y", count: 120) + "…")
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
        #expect(error(422, "  Unprocessable\n") == .rejected("Unprocessable"))
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

    @Test("another CUDA error in a 5xx is a GPU fault carrying the server's message")
    func cudaFault() {
        let illegal = #"""
            {"error": "RuntimeError", "detail": "",
             "errors": "CUDA error: an illegal memory access was encountered"}
            """#
        #expect(error(500, illegal) == .gpuFault("CUDA error: an illegal memory access was encountered"))
        #expect(
            error(500, #"{"detail": "RuntimeError: CUDA error: device-side assert triggered"}"#)
                == .gpuFault("RuntimeError: CUDA error: device-side assert triggered"))
        #expect(error(500, "CUDA error: unspecified launch failure") == .serverError(status: 500))
        let mapped = error(500, illegal)
        #expect(mapped.code == "gpu_error" && mapped.isBackendFault && mapped.isRetryable)
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
