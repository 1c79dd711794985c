/// How long after the load falls the latency of new arrivals is back to normal.
///
/// From a timeline of the transactions *started* each second (``TransactionLog/startTimeline``): the start of the
/// first second from which on every second's arrivals all succeeded with a p95 latency within `bound`. `nil` when
/// the run never got there (its last second with arrivals still missed the bound, or failed).
public enum RecoveryTime {
    public static func seconds(byStart timeline: Timeline, within bound: Double) -> Int? {
        var recoveredFrom: Int?
        for bucket in timeline.buckets where bucket.ok + bucket.errors > 0 {
            let isNormal = bucket.errors == 0 && (bucket.p95 ?? .infinity) <= bound
            if !isNormal {
                recoveredFrom = nil
            } else if recoveredFrom == nil {
                recoveredFrom = bucket.second
            }
        }
        return recoveredFrom
    }
}
