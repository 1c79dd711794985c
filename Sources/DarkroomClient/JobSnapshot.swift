import Foundation

/// What a client sees of a job: its state, place in the queue, progress and results.
public struct JobSnapshot: Sendable, Equatable {
    /// One generated image.
    public struct Image: Sendable, Equatable {
        /// Path of the PNG on the server, e.g. `/v1/images/<id>-0.png`.
        public var url: String
        public var width: Int
        public var height: Int
        public var seed: Int64
        public var sha256: String
    }

    public var id: String
    /// `queued`, `running`, `succeeded`, `failed`, `canceled` or `expired`.
    public var state: String
    public var position: Int?
    public var estimatedWaitSeconds: Double?
    public var step: Int
    public var steps: Int
    public var images: [Image]
    public var errorCode: String?
    public var errorMessage: String?

    public var isTerminal: Bool { ["succeeded", "failed", "canceled", "expired"].contains(state) }
}

extension JobSnapshot {
    init(_ job: Components.Schemas.Job) {
        self.init(
            id: job.id, state: job.state.rawValue, position: job.position, estimatedWaitSeconds: job.estimatedWaitSeconds,
            step: job.progress.step, steps: job.progress.steps,
            images: job.images.map { .init(url: $0.url, width: $0.width, height: $0.height, seed: $0.seed, sha256: $0.sha256) },
            errorCode: job.error?.code, errorMessage: job.error?.message)
    }
}
