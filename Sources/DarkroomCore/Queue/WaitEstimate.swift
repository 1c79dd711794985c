/// Estimates how long a queued job waits before a slot takes it.
///
/// With `p` jobs ahead, `f` free slots, `n` slots and a mean service time `S`: zero when `p < f`,
/// else `(p − f + 1) × S / n`, since the `n` slots together finish a job every `S / n` on average.
/// It is an estimate for people, not a promise: retries, cancellations and priorities change it.
public enum WaitEstimate {
    public static func seconds(position: Int, capacity: Capacity, meanServiceSeconds: Double) -> Double {
        guard capacity.slots > 0, meanServiceSeconds > 0 else { return 0 }
        guard position >= capacity.freeSlots else { return 0 }
        return Double(position - capacity.freeSlots + 1) * meanServiceSeconds / Double(capacity.slots)
    }
}
