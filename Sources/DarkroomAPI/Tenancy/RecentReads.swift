import Synchronization

/// Values read from the store, each remembered for `lifetime` after its read, so a busy gateway reads a key or a
/// tenant once per few seconds, not once per request. At most `limit` are remembered; past it the memory starts
/// afresh.
final class RecentReads<Value: Sendable>: Sendable {
    private let lifetime: Duration
    private let limit: Int
    private let entries = Mutex<[String: (value: Value, readAt: ContinuousClock.Instant)]>([:])

    init(lifetime: Duration, limit: Int = 10_000) {
        self.lifetime = lifetime
        self.limit = limit
    }

    /// The value read for `key` within the lifetime, or else `read()`'s, remembered when `remember` says so
    /// (a value not remembered also forgets an older one).
    func value(
        for key: String, remember: (Value) -> Bool = { _ in true }, read: () async throws -> Value
    ) async throws -> Value {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[key] }), now - entry.readAt < lifetime { return entry.value }
        let value = try await read()
        entries.withLock { entries in
            guard remember(value) else {
                entries[key] = nil
                return
            }
            if entries.count >= limit { entries.removeAll() }
            entries[key] = (value, now)
        }
        return value
    }
}
