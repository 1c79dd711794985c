import DarkroomCore
import Foundation

/// Something that turns a generation request into images: a simulated GPU, an SD WebUI or a ComfyUI server.
///
/// A request runs in two phases, so the GPU never waits for Darkroom:
///
/// ```
///  run(request) ──────────────▶ BackendAnswer ── images() ──▶ [GeneratedImage]
///  └─ the server's GPU is busy ─┘ (GPU free)      └─ decode, download, check: overlaps the next run ─┘
/// ```
///
/// Contract every conformer keeps:
/// - `run` waits for `turn` before its request may start on the server (sending it, or, where the server queues
///   requests and reports on each by id, right after queueing it), and never keeps the server busy after a
///   cancellation while it waited.
/// - `run` calls `progress` with non-decreasing steps while it works, and returns as soon as the server is done
///   with the request (its GPU free for the next one), leaving the rest (A1111's base64, ComfyUI's `/view`
///   downloads) to ``BackendAnswer/images()``, which the worker may call while the next `run` is in progress.
/// - `images()` returns `request.batchSize` images of the requested size, each with the seed that reproduces it
///   where the server allows (A1111: seed, seed+1, …; a ComfyUI batch shares the request's seed).
/// - At most ``slots`` `run` calls are in progress at once; the worker never asks for more.
/// - Task cancellation during `run` interrupts the work promptly (the backend's own interrupt where it has one)
///   and ends the call with `CancellationError`. `images()` never interrupts the server: by then the server may
///   be running someone else's request.
/// - Failures are thrown as ``BackendError``, whose `isRetryable` the backend decided where it knew the cause.
/// - `health()` never throws: an unreachable server is a ``BackendHealth`` with `isReachable == false`.
public protocol Backend: Sendable {
    /// A stable name for logs, metrics and the job's `backend` field.
    var id: String { get }
    /// The kind of server: `sim`, `a1111`, `comfyui`.
    var kind: String { get }
    /// How many requests the backend runs at once (one per GPU for most servers).
    var slots: Int { get }
    /// Runs `request` on the server once `turn` allows; returns once the server has answered.
    func run(
        _ request: GenerationRequest, turn: ServerTurn, progress: @escaping @Sendable (JobProgress) async -> Void
    ) async throws -> BackendAnswer
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

    /// Runs `request` and finishes its answer: both phases in one call, for callers that do nothing in between.
    public func generate(
        _ request: GenerationRequest, progress: @escaping @Sendable (JobProgress) async -> Void
    ) async throws -> [GeneratedImage] {
        try await run(request, turn: .now, progress: progress).images()
    }
}
