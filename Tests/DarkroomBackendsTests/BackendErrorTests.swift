import DarkroomBackends
import Testing

@Suite struct BackendErrorTests {
    @Test(
        "each failure has a stable code, a fixed retryability and a fixed blame",
        arguments: [
            (BackendError.unavailable("connection refused"), "backend_unavailable", true, true),
            (.timedOut, "backend_timeout", true, true),
            (.serverError(status: 503), "backend_error", true, true),
            (.outOfMemory, "out_of_memory", true, true),
            (.badResponse("not JSON"), "backend_bad_response", true, true),
            (.simulatedFailure, "simulated_failure", true, false),
            (.rejected("unknown sampler"), "backend_rejected", false, false),
            (.executionFailed("file not found"), "backend_execution_failed", false, false),
            (.gpuFault("CUDA error: an illegal memory access"), "gpu_error", true, true),
            (.interrupted, "backend_interrupted", true, false),
        ]
    )
    func codeAndRetryability(error: BackendError, code: String, isRetryable: Bool, isBackendFault: Bool) {
        #expect(error.code == code)
        #expect(error.isRetryable == isRetryable)
        #expect(error.isBackendFault == isBackendFault)
        #expect(!error.message.isEmpty)
    }

    @Test("a server's text never reaches the message of an unavailable backend")
    func unavailableHidesDetail() {
        #expect(!BackendError.unavailable("10.0.0.7:7860 ECONNREFUSED").message.contains("10.0.0.7"))
    }

    @Test("a node's message reaches the message of a rejected request")
    func rejectedKeepsReason() {
        #expect(BackendError.rejected("KSampler: sampler_name 'x' not in list").message.contains("KSampler"))
    }
}
