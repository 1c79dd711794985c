/// How the load generator talks to its target.
public enum BenchProtocol: String, Sendable, CaseIterable {
    /// Darkroom's REST API: submit a job, then wait for its completion (SSE or polling).
    case darkroom
    /// The A1111 API: one synchronous `POST /sdapi/v1/txt2img` per transaction.
    case a1111
}
