import ArgumentParser
import Logging
import Metrics
import DarkroomCore
import Prometheus

/// Process-wide setup shared by every long-running subcommand.
enum Bootstrap {
    /// Logs to standard error at `level`.
    static func logging(level: Logger.Level) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "darkroom")
    }

    /// A Prometheus registry that every metric in the process writes into (`/metrics` prints it).
    static func metrics() -> (PrometheusCollectorRegistry, PrometheusMetricsFactory) {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // A generation and its wait in the queue take seconds to minutes; the default buckets end at 10 s,
        // where the alerts and the autoscaler's 30 s thresholds could not be seen.
        for name in [MetricNames.jobDuration, MetricNames.queueWait] {
            factory.durationHistogramBuckets[name] = jobBuckets
        }
        MetricsSystem.bootstrap(factory)
        return (registry, factory)
    }
}

/// Histogram buckets for job durations and queue waits: 100 ms to 10 min.
private let jobBuckets: [Duration] = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 45, 60, 90, 120, 300, 600]
    .map { Duration.milliseconds(Int($0 * 1000)) }

extension Logger.Level: @retroactive ExpressibleByArgument {}
