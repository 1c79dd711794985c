/// Why a node stopped a prompt's execution.
enum NodeFailure: Error, Sendable {
    /// `/interrupt` (upstream's `InterruptProcessingException`).
    case interrupted
    /// The simulated GPU ran out of memory (`torch.OutOfMemoryError`).
    case outOfMemory
}
