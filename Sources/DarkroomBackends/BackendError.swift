/// Why a backend could not produce images. The backend decides ``isRetryable`` where it knows the cause.
public enum BackendError: Error, Sendable, Equatable {
    /// The server could not be reached.
    case unavailable(String)
    /// The server took longer than allowed.
    case timedOut
    /// The server answered with a 5xx status.
    case serverError(status: Int)
    /// The GPU ran out of memory for this request.
    case outOfMemory
    /// The server refused the request itself; running it again cannot help.
    case rejected(String)
    /// The simulator's configured failure rate struck.
    case simulatedFailure

    /// Whether another attempt (here or on another backend) may succeed.
    public var isRetryable: Bool {
        switch self {
        case .unavailable, .timedOut, .serverError, .outOfMemory, .simulatedFailure: true
        case .rejected: false
        }
    }

    /// The stable code stored as the job's error when this failure ends it.
    public var code: String {
        switch self {
        case .unavailable: "backend_unavailable"
        case .timedOut: "backend_timeout"
        case .serverError: "backend_error"
        case .outOfMemory: "out_of_memory"
        case .rejected: "backend_rejected"
        case .simulatedFailure: "simulated_failure"
        }
    }

    /// A message safe to show a client (no server internals).
    public var message: String {
        switch self {
        case .unavailable: "the inference server could not be reached"
        case .timedOut: "the inference server did not answer in time"
        case .serverError(let status): "the inference server failed with status \(status)"
        case .outOfMemory: "the GPU ran out of memory"
        case .rejected(let reason): "the inference server refused the request: \(reason)"
        case .simulatedFailure: "the simulated GPU failed on purpose (failure rate)"
        }
    }
}
