import Foundation

/// Maps the payload of an `execution_error` (a WebSocket event, or a `/history` status message) to a ``BackendError``.
///
/// - `exception_type` `torch.OutOfMemoryError` (a CUDA out-of-memory) is ``BackendError/outOfMemory``.
/// - A CUDA failure of another kind (`CUDA error: …`, CUBLAS, cuDNN, torch's `AcceleratorError`) in the type or the
///   message is ``BackendError/gpuFault(_:)``: the GPU, not the graph, is unwell, so the job goes elsewhere and the
///   failure counts towards this backend's circuit breaker.
/// - Anything else is the graph's own failure, ``BackendError/executionFailed(_:)``.
///
/// Messages are the trimmed `exception_message` (ComfyUI ends it with a newline and tips).
enum ComfyUIExecutionError {
    static func backendError(from data: BackendJSON?) -> BackendError {
        let type = data?["exception_type"]?.stringValue ?? ""
        if type.contains("OutOfMemoryError") { return .outOfMemory }
        let message = (data?["exception_message"]?.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let node = data?["node_type"]?.stringValue ?? "a node"
        let reason = message.isEmpty ? (type.isEmpty ? "\(node) failed" : "\(node) failed with \(type)") : message
        if isGPUFault(type: type, message: message) { return .gpuFault(reason) }
        return .executionFailed(reason)
    }

    /// Whether the exception names the GPU's runtime rather than the graph.
    static func isGPUFault(type: String, message: String) -> Bool {
        let text = "\(type)\n\(message)".lowercased()
        return ["cuda", "cublas", "cudnn", "acceleratorerror"].contains { text.contains($0) }
    }
}
