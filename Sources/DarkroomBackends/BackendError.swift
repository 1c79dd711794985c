/// Why a backend could not produce images. The backend decides ``isRetryable`` where it knows the cause.
public enum BackendError: Error, Sendable, Equatable {
    /// The server could not be reached (connection refused or reset, DNS failure).
    case unavailable(String)
    /// The server took longer than allowed.
    case timedOut
    /// The server answered with a 5xx status.
    case serverError(status: Int)
    /// The GPU ran out of memory for this request.
    case outOfMemory
    /// The server answered, but not in its protocol's shape (bad JSON, no images, not a PNG).
    case badResponse(String)
    /// The server refused the request itself (validation, a node error); running it again cannot help.
    case rejected(String)
    /// The server accepted the request and its execution failed for a reason other than memory.
    case executionFailed(String)
    /// The GPU itself failed (a CUDA error other than out-of-memory): the server is unwell, not the job.
    case gpuFault(String)
    /// Someone else interrupted the request on the server (another client's `/interrupt`).
    case interrupted
    /// The simulator's configured failure rate struck.
    case simulatedFailure

    /// Whether another attempt (here or on another backend) may succeed.
    public var isRetryable: Bool {
        switch self {
        case .unavailable, .timedOut, .serverError, .outOfMemory, .badResponse, .gpuFault, .interrupted,
            .simulatedFailure:
            true
        case .rejected, .executionFailed: false
        }
    }

    /// Whether the failure says the backend, not the job, is unwell: it counts towards the circuit breaker,
    /// and the job goes back to the queue at once for another backend rather than after a backoff.
    public var isBackendFault: Bool {
        switch self {
        case .unavailable, .timedOut, .serverError, .outOfMemory, .badResponse, .gpuFault: true
        case .rejected, .executionFailed, .interrupted, .simulatedFailure: false
        }
    }

    /// The stable code stored as the job's error when this failure ends it.
    public var code: String {
        switch self {
        case .unavailable: "backend_unavailable"
        case .timedOut: "backend_timeout"
        case .serverError: "backend_error"
        case .outOfMemory: "out_of_memory"
        case .badResponse: "backend_bad_response"
        case .rejected: "backend_rejected"
        case .executionFailed: "backend_execution_failed"
        case .gpuFault: "gpu_error"
        case .interrupted: "backend_interrupted"
        case .simulatedFailure: "simulated_failure"
        }
    }

    /// A message safe to show a client (no credentials or stack traces).
    public var message: String {
        switch self {
        case .unavailable: "the inference server could not be reached"
        case .timedOut: "the inference server did not answer in time"
        case .serverError(let status): "the inference server failed with status \(status)"
        case .outOfMemory: "the GPU ran out of memory"
        case .badResponse(let reason): "the inference server gave an answer Darkroom cannot read: \(reason)"
        case .rejected(let reason): "the inference server refused the request: \(reason)"
        case .executionFailed(let reason): "the inference server failed to run the request: \(reason)"
        case .gpuFault(let reason): "the GPU failed: \(reason)"
        case .interrupted: "the request was interrupted on the inference server by someone else"
        case .simulatedFailure: "the simulated GPU failed on purpose (failure rate)"
        }
    }
}
