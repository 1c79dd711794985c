/// A figure the seed deployment published for its Locust test (users 50→200, 1024×1024, 8 steps, LoRA 1.0).
///
/// The seed gave throughput, mean latency and error rate only; p95, limit and efficiency are unknown.
public struct PublishedRun: Sendable, Equatable, Encodable {
    public var name: String
    public var throughputPerSecond: Double
    public var meanLatencySeconds: Double
    public var errorRate: Double

    enum CodingKeys: String, CodingKey {
        case name
        case throughputPerSecond = "throughput_per_second"
        case meanLatencySeconds = "mean_latency_seconds"
        case errorRate = "error_rate"
    }

    /// One SD WebUI process: 1.2 QPS, 8.4 s mean latency, 18 % errors.
    public static let seedWebUI = PublishedRun(
        name: "seed WebUI (published)", throughputPerSecond: 1.2, meanLatencySeconds: 8.4, errorRate: 0.18)
    /// The seed's scaled design on 3 nodes: 6.8 QPS, 2.1 s, 0.5 % errors.
    public static let seedScaled = PublishedRun(
        name: "seed scaled, 3 nodes (published)", throughputPerSecond: 6.8, meanLatencySeconds: 2.1,
        errorRate: 0.005)

    public static let seed = [seedWebUI, seedScaled]
}
