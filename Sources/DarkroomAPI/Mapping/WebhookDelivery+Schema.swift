import DarkroomCore
import DarkroomStore

extension Components.Schemas.WebhookEvent {
    init(_ event: WebhookEvent) {
        switch event {
        case .running: self = .job_running
        case .succeeded: self = .job_succeeded
        case .failed: self = .job_failed
        case .canceled: self = .job_canceled
        case .expired: self = .job_expired
        }
    }
}

extension WebhookEvent {
    init(_ event: Components.Schemas.WebhookEvent) {
        switch event {
        case .job_running: self = .running
        case .job_succeeded: self = .succeeded
        case .job_failed: self = .failed
        case .job_canceled: self = .canceled
        case .job_expired: self = .expired
        }
    }
}

extension Components.Schemas.WebhookDelivery {
    /// The wire form of a delivery and its attempts.
    init(_ delivery: WebhookDelivery) {
        let state: StatePayload =
            switch delivery.state {
            case .pending: .pending
            case .delivered: .delivered
            case .failed: .failed
            }
        self.init(
            id: delivery.id, event: .init(delivery.event), url: delivery.url, state: state,
            attempts: delivery.attempts, createdAt: delivery.createdAt,
            nextAttemptAt: delivery.state == .pending ? delivery.nextAttemptAt : nil,
            deliveredAt: delivery.deliveredAt, lastError: delivery.lastError,
            attemptLog: delivery.log.map {
                .init(
                    attempt: $0.number, at: $0.at, statusCode: $0.statusCode, error: $0.error,
                    durationSeconds: $0.durationSeconds)
            })
    }
}
