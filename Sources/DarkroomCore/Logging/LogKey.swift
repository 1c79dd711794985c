/// Every log metadata key Darkroom uses, so logs stay greppable and keys never drift.
public enum LogKey: String, Sendable {
    case jobID = "job.id"
    case jobState = "job.state"
    case jobAttempt = "job.attempt"
    case tenantID = "tenant.id"
    case workerID = "worker.id"
    case backendID = "backend.id"
    case leaseToken = "lease.token"
    case errorCode = "error.code"
    case error = "error"
    case delay = "delay"
    case count = "count"
    case poisonedCount = "poisoned.count"
    case address = "address"
    case path = "path"
}
