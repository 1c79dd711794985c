import DarkroomCore
import Foundation

/// A built-in simulated GPU: one slot, a service time that scales like a diffusion model's, real PNGs.
///
/// Service time `S = secondsPerImage × (width × height / 1024²) × (steps / 8) × batchSize`, spread evenly over
/// the steps; each step reports progress. Sleeps are to absolute deadlines, so per-step overhead does not
/// accumulate. With ``Configuration/failureRate`` above zero, that fraction of requests fails with a
/// retryable ``BackendError/simulatedFailure`` halfway through, like a flaky GPU server.
public struct SimulatedBackend<C: Clock>: Backend where C.Duration == Duration {
    /// How the simulated GPU behaves.
    public struct Configuration: Sendable {
        /// Seconds for one 1024×1024 image at 8 steps.
        public var secondsPerImage: Double
        /// Fraction of requests (0…1) that fail with a transient error.
        public var failureRate: Double

        public init(secondsPerImage: Double = 0.8, failureRate: Double = 0) {
            self.secondsPerImage = secondsPerImage
            self.failureRate = failureRate
        }
    }

    public let id: String
    public let slots = 1
    public let configuration: Configuration
    private let clock: C

    public init(id: String, configuration: Configuration = .init(), clock: C) {
        self.id = id
        self.configuration = configuration
        self.clock = clock
    }

    /// The simulated service time of `request`.
    public func serviceTime(for request: GenerationRequest) -> Duration {
        let pixels = Double(request.width * request.height) / (1024 * 1024)
        let seconds = configuration.secondsPerImage * pixels * Double(request.steps) / 8 * Double(request.batchSize)
        return .nanoseconds(Int64(seconds * 1e9))
    }

    public func generate(
        _ request: GenerationRequest, progress: @escaping @Sendable (JobProgress) async -> Void
    ) async throws -> [GeneratedImage] {
        let start = clock.now
        let total = serviceTime(for: request)
        let failsAtStep = Double.random(in: 0..<1) < configuration.failureRate ? max(1, request.steps / 2) : nil
        for step in 1...request.steps {
            try await clock.sleep(until: start.advanced(by: total * (Double(step) / Double(request.steps))), tolerance: nil)
            if step == failsAtStep { throw BackendError.simulatedFailure }
            await progress(JobProgress(step: step, steps: request.steps))
        }
        return try (0..<request.batchSize).map { index in
            let seed = request.seed + Int64(index)
            let png = try SimulatedImageRenderer.shared.png(width: request.width, height: request.height, seed: seed)
            return GeneratedImage(png: png, width: request.width, height: request.height, seed: seed)
        }
    }
}

extension SimulatedBackend where C == ContinuousClock {
    /// A simulated GPU on the real clock.
    public init(id: String, configuration: Configuration = .init()) {
        self.init(id: id, configuration: configuration, clock: ContinuousClock())
    }
}
