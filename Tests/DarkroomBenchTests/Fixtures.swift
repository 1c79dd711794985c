import DarkroomBench

/// A finished transaction that ended at `ended` seconds and took `latency` seconds.
func transaction(
    ended: Double, latency: Double = 1, error: ErrorKind? = nil, job: JobTiming? = nil
) -> TransactionResult {
    TransactionResult(
        started: .seconds(ended - latency), ended: .seconds(ended), outcome: error.map { .failed($0) } ?? .succeeded,
        job: job)
}

/// A report's setup with placeholder names.
func setup(_ protocol: BenchProtocol = .darkroom) -> BenchReport.Setup {
    BenchReport.Setup(
        scenario: "custom", protocol: `protocol`, target: "http://127.0.0.1:8080",
        load: "closed loop, 4 users, think 0s",
        request: "256×256, 8 steps, AWPortrait-Z 1.0", waitMode: `protocol` == .darkroom ? .sse : nil)
}
