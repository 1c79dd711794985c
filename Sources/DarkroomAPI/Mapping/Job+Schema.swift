import DarkroomCore
import Foundation
import OpenAPIRuntime

extension Components.Schemas.Job {
    /// The wire form of a job; `position` and `estimatedWaitSeconds` are filled in for queued jobs.
    init(_ job: Job, position: Int? = nil, estimatedWaitSeconds: Double? = nil) {
        let request = job.request
        self.init(
            id: job.id.rawValue,
            state: Components.Schemas.JobState(job.state),
            priority: job.priority,
            request: Components.Schemas.GenerationParameters(
                prompt: request.prompt, negativePrompt: request.negativePrompt, width: request.width,
                height: request.height, steps: request.steps, seed: request.seed, cfgScale: request.cfgScale,
                sampler: request.sampler, model: request.model,
                loras: request.loras.map { .init(name: $0.name, strength: $0.strength) }, batchSize: request.batchSize),
            progress: .init(step: job.progress.step, steps: job.progress.steps),
            attempt: job.attempt,
            maxAttempts: job.maxAttempts,
            backend: job.backend,
            position: position,
            estimatedWaitSeconds: estimatedWaitSeconds,
            createdAt: job.createdAt,
            startedAt: job.startedAt,
            finishedAt: job.finishedAt,
            images: job.images.map {
                .init(
                    url: "/v1/images/\($0.name)", width: $0.width, height: $0.height, seed: $0.seed, sha256: $0.sha256)
            },
            error: job.failure.map { .init(code: $0.code, message: $0.message) },
            metadata: job.metadataJSON.flatMap(Self.metadata(fromJSON:)),
            webhookUrl: job.webhook?.url,
            webhookEvents: job.webhook?.events.map(Components.Schemas.WebhookEvent.init),
            deadlineAt: job.deadline
        )
    }

    private static func metadata(fromJSON text: String) -> MetadataPayload? {
        guard let container = try? JSONDecoder().decode(OpenAPIObjectContainer.self, from: Data(text.utf8)) else {
            return nil
        }
        return MetadataPayload(additionalProperties: container)
    }
}

extension Components.Schemas.JobState {
    init(_ state: JobState) {
        switch state {
        case .queued: self = .queued
        case .running: self = .running
        case .succeeded: self = .succeeded
        case .failed: self = .failed
        case .canceled: self = .canceled
        case .expired: self = .expired
        }
    }
}

extension JobState {
    init(_ state: Components.Schemas.JobState) {
        switch state {
        case .queued: self = .queued
        case .running: self = .running
        case .succeeded: self = .succeeded
        case .failed: self = .failed
        case .canceled: self = .canceled
        case .expired: self = .expired
        }
    }
}
