import Foundation

/// `--json`: the report as one JSON object with snake_case keys.
///
/// Keys: `scenario`, `protocol`, `target`, `load`, `request`, `wait`, `elapsed_seconds`, `window_seconds`,
/// `window_start_seconds`, `transactions` {`ok`, `errors`, `in_flight`}, `run_transactions` {`ok`, `errors`},
/// `throughput_per_second`, `error_rate`, `errors_by_kind`, `limit_per_second`, `limit_source`, `efficiency`,
/// and the timing objects `latency_seconds`, `queue_wait_seconds`, `service_seconds`, `detection_lag_seconds`
/// ({`mean`, `p50`, `p95`, `p99`, `max`}; `rejection_latency_seconds` times the 429s), `retries` {`count`,
/// `admitted`, `admitted_share`}, and `timeline`: one object per second of the run, warm-up included
/// ({`second`, `ok`, `errors`, `p95_seconds`}, over the transactions that ended in that second). Unknown values
/// are `null`, never left out: `efficiency` without a limit, the Darkroom-only timings for A1111, any timing
/// when nothing succeeded, a second's `p95_seconds` when nothing succeeded in it.
extension BenchReport: Encodable {
    private enum Key: String, CodingKey {
        case scenario, `protocol`, target, load, request, wait, transactions, efficiency
        case elapsedSeconds = "elapsed_seconds"
        case windowSeconds = "window_seconds"
        case windowStartSeconds = "window_start_seconds"
        case runTransactions = "run_transactions"
        case throughputPerSecond = "throughput_per_second"
        case errorRate = "error_rate"
        case errorsByKind = "errors_by_kind"
        case limitPerSecond = "limit_per_second"
        case limitSource = "limit_source"
        case latency = "latency_seconds"
        case queueWait = "queue_wait_seconds"
        case service = "service_seconds"
        case detectionLag = "detection_lag_seconds"
        case rejectionLatency = "rejection_latency_seconds"
        case retries
        case timeline
    }

    private struct Counts: Encodable {
        var ok: Int
        var errors: Int
        var inFlight: Int?

        enum CodingKeys: String, CodingKey {
            case ok, errors
            case inFlight = "in_flight"
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(setup.scenario, forKey: .scenario)
        try container.encode(setup.protocol.rawValue, forKey: .protocol)
        try container.encode(setup.target, forKey: .target)
        try container.encode(setup.load, forKey: .load)
        try container.encode(setup.request, forKey: .request)
        try container.encode(setup.waitMode?.rawValue, forKey: .wait)
        try container.encode(elapsed.inSeconds, forKey: .elapsedSeconds)
        try container.encode(window.length.inSeconds, forKey: .windowSeconds)
        try container.encode(window.start.inSeconds, forKey: .windowStartSeconds)
        try container.encode(Counts(ok: ok, errors: errors, inFlight: inFlight), forKey: .transactions)
        try container.encode(Counts(ok: runOK, errors: runErrors), forKey: .runTransactions)
        try container.encode(throughputPerSecond, forKey: .throughputPerSecond)
        try container.encode(errorRate, forKey: .errorRate)
        try container.encode(errorsByKind, forKey: .errorsByKind)
        // `encode` of an Optional writes null; `encodeIfPresent` would drop the key.
        try container.encode(limit?.perSecond, forKey: .limitPerSecond)
        try container.encode(limit?.source, forKey: .limitSource)
        try container.encode(efficiency, forKey: .efficiency)
        try container.encode(latency, forKey: .latency)
        try container.encode(queueWait, forKey: .queueWait)
        try container.encode(service, forKey: .service)
        try container.encode(detectionLag, forKey: .detectionLag)
        try container.encode(rejectionLatency, forKey: .rejectionLatency)
        try container.encode(
            Retries(count: retries, admitted: retriesAdmitted, admittedShare: retryAdmittedShare), forKey: .retries)
        try container.encode(timeline.buckets.map(Second.init), forKey: .timeline)
    }

    private struct Retries: Encodable {
        var count: Int
        var admitted: Int
        var admittedShare: Double?

        enum CodingKeys: String, CodingKey {
            case count, admitted
            case admittedShare = "admitted_share"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(count, forKey: .count)
            try container.encode(admitted, forKey: .admitted)
            try container.encode(admittedShare, forKey: .admittedShare)
        }
    }

    /// One entry of `timeline`.
    private struct Second: Encodable {
        var bucket: Timeline.Bucket

        enum CodingKeys: String, CodingKey {
            case second, ok, errors
            case p95 = "p95_seconds"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(bucket.second, forKey: .second)
            try container.encode(bucket.ok, forKey: .ok)
            try container.encode(bucket.errors, forKey: .errors)
            try container.encode(bucket.p95, forKey: .p95)
        }
    }
}
