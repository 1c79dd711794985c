import Foundation

/// Maps the payload of an `execution_error` (a WebSocket event, or a `/history` status message) to a ``BackendError``.
///
/// A CUDA out-of-memory arrives with `exception_type` `torch.OutOfMemoryError` and is ``BackendError/outOfMemory``
/// (retryable elsewhere); any other exception is ``BackendError/executionFailed(_:)`` with the trimmed
/// `exception_message` (ComfyUI ends it with a newline and tips).
enum ComfyUIExecutionError {
    static func backendError(from data: BackendJSON?) -> BackendError {
        let type = data?["exception_type"]?.stringValue ?? ""
        if type.contains("OutOfMemoryError") { return .outOfMemory }
        let message = (data?["exception_message"]?.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !message.isEmpty { return .executionFailed(message) }
        let node = data?["node_type"]?.stringValue ?? "a node"
        return .executionFailed(type.isEmpty ? "\(node) failed" : "\(node) failed with \(type)")
    }

    /// The reason given when a prompt was interrupted by someone else.
    static let interrupted = BackendError.executionFailed("interrupted")
}
