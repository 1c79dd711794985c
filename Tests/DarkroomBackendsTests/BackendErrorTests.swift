import DarkroomBackends
import Testing

@Suite struct BackendErrorTests {
    @Test(
        "each failure has a stable code and a fixed retryability",
        arguments: [
            (BackendError.unavailable("connection refused"), "backend_unavailable", true),
            (.timedOut, "backend_timeout", true),
            (.serverError(status: 503), "backend_error", true),
            (.outOfMemory, "out_of_memory", true),
            (.simulatedFailure, "simulated_failure", true),
            (.rejected("unknown sampler"), "backend_rejected", false),
        ]
    )
    func codeAndRetryability(error: BackendError, code: String, isRetryable: Bool) {
        #expect(error.code == code)
        #expect(error.isRetryable == isRetryable)
        #expect(!error.message.isEmpty)
    }

    @Test("a server's text never reaches the message of an unavailable backend")
    func unavailableHidesDetail() {
        #expect(!BackendError.unavailable("10.0.0.7:7860 ECONNREFUSED").message.contains("10.0.0.7"))
    }
}
