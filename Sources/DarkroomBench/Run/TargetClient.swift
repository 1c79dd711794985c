/// One protocol's transaction against the target: the unit the bench counts.
///
/// Contract: ``transact(idempotencyKey:)`` returns when the work succeeded (with the server's job timing when the protocol
/// has one), throws ``TransactionFailure`` for every kind of error, and throws `CancellationError` promptly
/// when its task is cancelled (the run stopped). It does not bound itself in time: the runner does.
protocol TargetClient: Sendable {
    /// - Parameter idempotencyKey: sent as `Idempotency-Key` where the protocol has one (a retry repeats it).
    func transact(idempotencyKey: String?) async throws -> JobTiming?
}
