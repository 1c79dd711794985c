import DarkroomCore
import Foundation
import Synchronization

/// A built-in simulated GPU: one slot, a service time that scales like a diffusion model's, real PNGs.
///
/// Service time `S = secondsPerImage × (width × height / 1024²) × (steps / 8) × batchSize`, spread evenly over
/// the steps; each step reports progress. Sleeps are to absolute deadlines, so per-step overhead does not
/// accumulate. With ``Configuration/failureRate`` above zero, that fraction of requests fails with a
/// retryable ``BackendError/simulatedFailure`` halfway through, like a flaky GPU server. It remembers the
/// model and LoRAs it ran last (``loadedAffinity``); a request for different ones first costs
/// ``Configuration/modelSwitchSeconds``, as loading a checkpoint does on a real GPU. Its health reports GPU memory
/// like a real server's: the resident model, plus a run's working memory while one runs (``SimulatedGPUMemory``).
public struct SimulatedBackend<C: Clock>: PreviewingBackend where C.Duration == Duration {
    /// How the simulated GPU behaves.
    public struct Configuration: Sendable {
        /// Seconds for one 1024×1024 image at 8 steps.
        public var secondsPerImage: Double
        /// Fraction of requests (0…1) that fail with a transient error.
        public var failureRate: Double
        /// Extra seconds for a request whose model or LoRAs differ from the previous request's.
        public var modelSwitchSeconds: Double
        /// The card's memory, in bytes (24 GiB).
        public var gpuMemoryBytes: Int64
        /// The size of each PNG, as a real server's (about 1.5 MB at 1024×1024); `nil` keeps the small gradient.
        public var pngBytes: Int?

        public init(
            secondsPerImage: Double = 0.8, failureRate: Double = 0, modelSwitchSeconds: Double = 0,
            gpuMemoryBytes: Int64 = 24 << 30, pngBytes: Int? = nil
        ) {
            self.secondsPerImage = secondsPerImage
            self.failureRate = failureRate
            self.modelSwitchSeconds = modelSwitchSeconds
            self.gpuMemoryBytes = gpuMemoryBytes
            self.pngBytes = pngBytes
        }
    }

    public let id: String
    public let kind = "sim"
    public let slots = 1
    public let configuration: Configuration
    private let clock: C
    private let device = DeviceState()

    public init(id: String, configuration: Configuration = .init(), clock: C) {
        self.id = id
        self.configuration = configuration
        self.clock = clock
    }

    /// Reachable, with the memory in use: the resident model, plus the working memory of a run in progress.
    public func health() async -> BackendHealth {
        let memory = SimulatedGPUMemory(total: configuration.gpuMemoryBytes)
        return BackendHealth(
            isReachable: true,
            gpuMemory: GPUMemory(usedBytes: memory.used(working: device.workingBytes), totalBytes: memory.total))
    }

    /// The model and LoRAs of the last request that finished here.
    public var loadedAffinity: ModelAffinity? { device.affinity }

    /// The longest simulated time anything takes. Validated requests stay far below it; sizes only a
    /// client of `darkroom sim-backend` can send saturate here instead of overflowing.
    public static var maxServiceTime: Duration { .seconds(365 * 24 * 3600) }

    /// The simulated service time of `request`, not counting a model switch; at most ``maxServiceTime``.
    public func serviceTime(for request: GenerationRequest) -> Duration {
        let pixels = Double(request.width) * Double(request.height) / (1024 * 1024)
        let seconds = configuration.secondsPerImage * pixels * Double(request.steps) / 8 * Double(request.batchSize)
        return Self.duration(seconds: seconds)
    }

    /// The time to load what `request` needs: zero when it is what ran last (or nothing ran yet).
    public func switchTime(for request: GenerationRequest) -> Duration {
        guard let current = loadedAffinity, current != request.affinity else { return .zero }
        return Self.duration(seconds: configuration.modelSwitchSeconds)
    }

    /// `seconds` as a `Duration`, clamped to `0...maxServiceTime` (NaN is zero) before it is converted.
    private static func duration(seconds: Double) -> Duration {
        let cap = Double(maxServiceTime.components.seconds)
        guard seconds > 0 else { return .zero }
        return .nanoseconds(Int64(min(seconds, cap) * 1e9))
    }

    public func run(
        _ request: GenerationRequest, turn: ServerTurn, progress: @escaping @Sendable (JobProgress) async -> Void
    ) async throws -> BackendAnswer {
        try await run(request, turn: turn, previews: .none, progress: progress)
    }

    /// Runs the steps; after each, while someone watches, a preview sharpening towards the final image.
    public func run(
        _ request: GenerationRequest, turn: ServerTurn, previews: PreviewSink,
        progress: @escaping @Sendable (JobProgress) async -> Void
    ) async throws -> BackendAnswer {
        try await turn.wait()
        let start = clock.now.advanced(by: switchTime(for: request))
        let total = serviceTime(for: request)
        // Validated requests have at least one step and one image; anything else runs one step, makes none.
        let steps = max(1, request.steps)
        let failsAtStep = Double.random(in: 0..<1) < configuration.failureRate ? max(1, steps / 2) : nil
        let memory = SimulatedGPUMemory(total: configuration.gpuMemoryBytes)
        device.workingBytes = memory.working(
            width: request.width, height: request.height, batchSize: max(1, request.batchSize))
        defer { device.workingBytes = nil }
        for step in 1...steps {
            try await clock.sleep(until: start.advanced(by: total * (Double(step) / Double(steps))), tolerance: nil)
            if step == failsAtStep { throw BackendError.simulatedFailure }
            await progress(JobProgress(step: step, steps: steps))
            // The last step's preview would show what the answer brings a moment later: not made, not asked for.
            if step < steps, await previews.isWanted {
                let png = try SimulatedPreviewRenderer.png(
                    width: request.width, height: request.height, seed: request.seed, step: step, steps: steps)
                await previews.deliver(
                    PreviewImage(data: png, mediaType: "image/png", progress: JobProgress(step: step, steps: steps)))
            }
        }
        device.affinity = request.affinity
        let pngBytes = configuration.pngBytes
        return BackendAnswer {
            try (0..<max(0, request.batchSize)).map { index in
                // Wrapping: a seed near Int64.max (only the simulator's clients can send one) wraps like torch's
                // 64-bit seeds instead of trapping.
                let seed = request.seed &+ Int64(index)
                let png = try SimulatedImageRenderer.shared.png(
                    width: request.width, height: request.height, seed: seed, paddedTo: pngBytes)
                return GeneratedImage(png: png, width: request.width, height: request.height, seed: seed)
            }
        }
    }
}

extension SimulatedBackend where C == ContinuousClock {
    /// A simulated GPU on the real clock.
    public init(id: String, configuration: Configuration = .init()) {
        self.init(id: id, configuration: configuration, clock: ContinuousClock())
    }
}

/// What a simulated GPU has loaded; a reference, so copies of the backend share it.
/// What the simulated GPU holds: the model and LoRAs of the last request, and the working memory of the run in
/// progress.
private final class DeviceState: Sendable {
    private let loaded = Mutex<ModelAffinity?>(nil)
    private let working = Mutex<Int64?>(nil)

    var affinity: ModelAffinity? {
        get { loaded.withLock { $0 } }
        set { loaded.withLock { $0 = newValue } }
    }

    var workingBytes: Int64? {
        get { working.withLock { $0 } }
        set { working.withLock { $0 = newValue } }
    }
}
