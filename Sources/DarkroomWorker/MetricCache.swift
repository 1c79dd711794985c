import Synchronization

/// Metrics of one name made once per label set and then reused (label sets are small and bounded).
final class MetricCache<Metric: Sendable>: Sendable {
    private let metrics = Mutex<[String: Metric]>([:])

    /// The metric for the label set `key`, made by `make` the first time.
    func metric(_ key: String, make: () -> Metric) -> Metric {
        metrics.withLock { metrics in
            if let metric = metrics[key] { return metric }
            let metric = make()
            metrics[key] = metric
            return metric
        }
    }
}
