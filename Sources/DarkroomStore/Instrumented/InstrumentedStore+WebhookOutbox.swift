import DarkroomCore
import Foundation

extension InstrumentedStore: WebhookOutbox {
    public func claimWebhookDeliveries(_ params: ClaimWebhookDeliveriesParams) async throws -> [WebhookDelivery] {
        try await timed(.claimWebhookDeliveries) { try await base.claimWebhookDeliveries(params) }
    }
    public func recordWebhookAttempt(_ params: RecordWebhookAttemptParams) async throws {
        try await timed(.recordWebhookAttempt) { try await base.recordWebhookAttempt(params) }
    }
    public func webhookDeliveries(of jobID: JobID) async throws -> [WebhookDelivery] {
        try await timed(.webhookDeliveries) { try await base.webhookDeliveries(of: jobID) }
    }
}
