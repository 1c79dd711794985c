import ArgumentParser
import Logging
import Metrics
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
        let factory = PrometheusMetricsFactory(registry: registry)
        MetricsSystem.bootstrap(factory)
        return (registry, factory)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
