import DarkroomCore
import Foundation

/// Something that turns a generation request into images: a simulated GPU, an SD WebUI or a ComfyUI server.
///
/// Contract every conformer keeps:
/// - `generate` calls `progress` with non-decreasing steps while it works, and returns `request.batchSize`
///   images of the requested size, each with the seed that reproduces it where the server allows
///   (A1111: seed, seed+1, …; a ComfyUI batch shares the request's seed).
/// - It runs at most ``slots`` requests at once; the worker never asks for more.
/// - Task cancellation interrupts the work promptly (the backend's own interrupt where it has one)
///   and ends the call with `CancellationError`.
/// - Failures are thrown as ``BackendError``, whose `isRetryable` the backend decided where it knew the cause.
/// - `health()` never throws: an unreachable server is a ``BackendHealth`` with `isReachable == false`.
public protocol Backend: Sendable {
    /// A stable name for logs, metrics and the job's `backend` field.
    var id: String { get }
    /// The kind of server: `sim`, `a1111`, `comfyui`.
    var kind: String { get }
    /// How many requests the backend runs at once (one per GPU for most servers).
    var slots: Int { get }
    /// Generates the images for `request`.
    func generate(
        _ request: GenerationRequest, progress: @escaping @Sendable (JobProgress) async -> Void
    ) async throws -> [GeneratedImage]
    /// Asks the server whether it is up, and for its GPU memory where it reports it.
    func health() async -> BackendHealth
    /// The model and LoRAs the server last ran, if known: jobs needing the same run without a switch.
    var loadedAffinity: ModelAffinity? { get }
}

extension Backend {
    /// Backends written outside Darkroom report themselves as `custom`.
    public var kind: String { "custom" }
    /// A backend with no server to ask is always reachable.
    public func health() async -> BackendHealth { .reachable }
    /// Unknown unless the backend tracks it.
    public var loadedAffinity: ModelAffinity? { nil }
}
