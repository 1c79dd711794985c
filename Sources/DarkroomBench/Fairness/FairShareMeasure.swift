import Foundation

/// What each tenant got of the GPUs while all of them were backlogged, from their jobs' start and finish times.
///
/// The window opens when the first job starts and closes when the first tenant's last job starts: from then on
/// that tenant has nothing queued, and its share goes to the others by design. A job's GPU seconds in the window
/// are the part of its run (start to finish) inside it.
public struct FairShareMeasure: Sendable, Equatable {
    /// One tenant's jobs as the API reported them.
    public struct TenantRuns: Sendable, Equatable {
        public var name: String
        public var weight: Double
        /// Each job's start and finish.
        public var runs: [ClosedRange<Date>]

        public init(name: String, weight: Double, runs: [ClosedRange<Date>]) {
            self.name = name
            self.weight = weight
            self.runs = runs
        }
    }

    /// One tenant's share against its weight's.
    public struct Share: Sendable, Equatable {
        public var name: String
        public var weight: Double
        public var gpuSeconds: Double
        /// Its part of all GPU seconds in the window.
        public var share: Double
        /// Its weight's part of all weights.
        public var target: Double

        /// How far the share is from the target, relative to the target (0.1 is 10 %).
        public var relativeError: Double { target > 0 ? abs(share / target - 1) : 0 }
    }

    public var window: ClosedRange<Date>
    public var shares: [Share]

    /// Jain's fairness index of the shares normalised by weight: 1 when every tenant got exactly its weight's
    /// part, down to 1/n when one tenant got everything.
    public var jainIndex: Double {
        let normalised = shares.map { $0.weight > 0 ? $0.share / $0.weight : 0 }
        let sum = normalised.reduce(0, +)
        let squares = normalised.map { $0 * $0 }.reduce(0, +)
        return squares > 0 ? sum * sum / (Double(normalised.count) * squares) : 0
    }

    /// The largest relative error of any tenant's share.
    public var worstError: Double { shares.map(\.relativeError).max() ?? 0 }

    /// The shares of `tenants` while all were backlogged; `nil` when a tenant ran nothing or the window is empty.
    public init?(_ tenants: [TenantRuns]) {
        guard !tenants.isEmpty, tenants.allSatisfy({ !$0.runs.isEmpty }) else { return nil }
        let opens = tenants.flatMap(\.runs).map(\.lowerBound).min()!
        let closes = tenants.map { $0.runs.map(\.lowerBound).max()! }.min()!
        guard opens < closes else { return nil }
        let window = opens...closes
        let seconds = tenants.map { tenant in
            tenant.runs.map { run in
                max(0, min(run.upperBound, closes).timeIntervalSince(max(run.lowerBound, opens)))
            }.reduce(0, +)
        }
        let total = seconds.reduce(0, +)
        let weights = tenants.map(\.weight).reduce(0, +)
        guard total > 0, weights > 0 else { return nil }
        self.window = window
        shares = zip(tenants, seconds).map { tenant, gpuSeconds in
            Share(
                name: tenant.name, weight: tenant.weight, gpuSeconds: gpuSeconds, share: gpuSeconds / total,
                target: tenant.weight / weights)
        }
    }
}
