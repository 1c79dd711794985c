import DarkroomCore
import DarkroomStore
import Metrics

/// `darkroom_webhook_deliveries_total{outcome}`: every delivery attempt, by what came of it.
struct WebhookMetrics: Sendable {
    private let delivered: Counter
    private let retry: Counter
    private let failed: Counter

    init(factory: any MetricsFactory) {
        func counter(_ outcome: String) -> Counter {
            Counter(
                label: MetricNames.webhookDeliveries, dimensions: [(MetricNames.Label.outcome, outcome)],
                factory: factory)
        }
        delivered = counter("delivered")
        retry = counter("retry")
        failed = counter("failed")
    }

    func record(_ outcome: RecordWebhookAttemptParams.Outcome) {
        switch outcome {
        case .delivered: delivered.increment()
        case .retry: retry.increment()
        case .failed: failed.increment()
        }
    }
}
