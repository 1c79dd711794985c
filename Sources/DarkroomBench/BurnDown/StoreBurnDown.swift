import DarkroomCore
import DarkroomStore
import Foundation

/// The store's own ceiling, without HTTP: N jobs inserted, then K consumers claim and complete them until none
/// is left. The shape of pgqueuer's published benchmark (`tools/benchmark.py`, drain strategy: enqueue
/// everything, then time only the consumers draining it), so the two can be run side by side on one PostgreSQL
/// (`benchmarks/store_burndown.py` does).
///
/// A consumer claims up to ``batch`` jobs at a time (`ClaimParams.limit`, the same claim workers use) and
/// completes each with its lease, all of them at once, as a worker's slots that finish together would (the store
/// combines completions that arrive together into one statement); nothing runs in between. The insert is timed
/// apart and not counted: Darkroom inserts one job per statement, with its own commit.
public struct StoreBurnDown: Sendable {
    /// Jobs inserted, then drained.
    public var jobs: Int
    /// Consumers draining at once.
    public var consumers: Int
    /// Jobs one claim may take.
    public var batch: Int
    /// Inserters at once during the (untimed) insert.
    public var inserters: Int
    /// Tenants the jobs belong to, in turn (`burn-down-0`, `burn-down-1`, …): the fair claim's cost with many.
    public var tenants: Int
    /// Jobs drained before the consumers stop (`nil`: all): a few thousand time the claim at a depth of ``jobs``.
    public var drain: Int?

    public init(
        jobs: Int = 20_000, consumers: Int = 16, batch: Int = 10, inserters: Int = 8, tenants: Int = 1,
        drain: Int? = nil
    ) {
        self.jobs = jobs
        self.consumers = consumers
        self.batch = batch
        self.inserters = inserters
        self.tenants = tenants
        self.drain = drain
    }

    /// The jobs the consumers drain.
    var jobsToDrain: Int { min(jobs, drain ?? jobs) }

    /// What one run measured.
    public struct Result: Sendable, Equatable {
        public var jobs: Int
        /// Jobs claimed and completed: all of them, or ``StoreBurnDown/drain``.
        public var drained: Int
        public var insertSeconds: Double
        public var burnDownSeconds: Double
        /// Claims made (the last of each consumer's found nothing) and the time spent waiting on them.
        public var claims: Int = 0
        public var claimSeconds: Double = 0

        /// Jobs inserted per second.
        public var insertRate: Double { Double(jobs) / max(insertSeconds, 1e-9) }
        /// Jobs claimed and completed per second: the figure pgqueuer's benchmark reports.
        public var burnDownRate: Double { Double(drained) / max(burnDownSeconds, 1e-9) }
        /// The mean time a claim took, as its consumer waited for it.
        public var meanClaimSeconds: Double { claimSeconds / Double(max(claims, 1)) }
    }

    /// The store holds queued or running jobs of its own (`found`, checked before anything is inserted), or the
    /// consumers drained another number of jobs than were inserted.
    public struct Incomplete: Error, CustomStringConvertible {
        public var drained: Int
        public var inserted: Int
        public var found: Int

        public var description: String {
            found > 0
                ? "the store holds \(found) queued or running jobs: use an empty scratch database"
                : "drained \(drained) jobs after inserting \(inserted)"
        }
    }

    /// Throws the first setting that cannot run.
    public func validate() throws(BenchConfigurationError) {
        guard jobs > 0 else { throw .invalid("--jobs must be at least 1") }
        guard consumers > 0 else { throw .invalid("--clients must be at least 1") }
        guard (1...1_000).contains(batch) else { throw .invalid("--batch must be within 1…1000") }
        guard (1...10_000).contains(tenants) else { throw .invalid("--tenants must be within 1…10000") }
        guard (drain ?? 1) > 0 else { throw .invalid("--drain must be at least 1") }
    }

    /// Inserts the jobs into `store` (migrated and empty of queued jobs), then drains them.
    ///
    /// - Throws: the store's errors, or ``Incomplete`` when the consumers drained another number of jobs.
    public func run(on store: any JobQueue) async throws -> Result {
        try validate()
        // Refused before anything is written: draining a live queue would "complete" its real jobs.
        let before = try await store.stats(StatsParams(recentSince: Date()))
        guard before.count(.queued) == 0, before.count(.running) == 0 else {
            throw Incomplete(drained: 0, inserted: 0, found: before.count(.queued) + before.count(.running))
        }
        let clock = ContinuousClock()
        let insertStart = clock.now
        try await insert(into: store)
        let insertTime = clock.now - insertStart
        let drainStart = clock.now
        let drained = try await drain(store)
        let drainTime = clock.now - drainStart
        guard drained.jobs == jobsToDrain else {
            throw Incomplete(drained: drained.jobs, inserted: jobs, found: 0)
        }
        return Result(
            jobs: jobs, drained: drained.jobs, insertSeconds: insertTime.seconds, burnDownSeconds: drainTime.seconds,
            claims: drained.claims,
            claimSeconds: drained.claimTime.seconds)
    }

    private func insert(into store: any JobQueue) async throws {
        let request = GenerationRequest(prompt: "burn-down", width: 256, height: 256, steps: 1, seed: 1)
        let perInserter = (jobs + inserters - 1) / inserters
        try await withThrowingTaskGroup(of: Void.self) { group in
            for inserter in 0..<inserters {
                let count = min(perInserter, jobs - inserter * perInserter)
                guard count > 0 else { continue }
                group.addTask {
                    for index in 0..<count {
                        let tenant = tenants == 1 ? Tenant.defaultName : "burn-down-\((inserter + index) % tenants)"
                        _ = try await store.enqueue(
                            EnqueueParams(id: JobID.generate(now: Date()), tenant: tenant, request: request))
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Deep enough that every consumer's batch fits in the head of the queue a claim reads: with less, consumers
    /// finding only rows others hold would see an empty queue and stop early.
    private var preferenceDepth: Int { max(256, consumers * batch * 2) }

    /// What the consumers did: jobs completed, claims made and the time spent in them.
    private struct Drained: Sendable {
        var jobs = 0
        var claims = 0
        var claimTime = Duration.zero
    }

    /// Completes `claimed` all at once, as a worker's slots finishing together would (and as pgqueuer runs a
    /// batch's handlers at once); the store may combine them. Returns how many it completed.
    private func complete(_ claimed: [Job], in store: any JobQueue) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for job in claimed {
                guard let lease = LeaseRef(job) else { continue }
                group.addTask {
                    _ = try await store.complete(CompleteParams(lease: lease, images: []))
                    return 1
                }
            }
            return try await group.reduce(0, +)
        }
    }

    private func drain(_ store: any JobQueue) async throws -> Drained {
        // Each consumer's share of a limited drain; with none, each goes on until the queue is empty.
        let share = drain.map { ($0 + consumers - 1) / consumers }
        return try await withThrowingTaskGroup(of: Drained.self) { group in
            for consumer in 0..<consumers {
                let quota = share.map { min($0, max(0, jobsToDrain - consumer * $0)) }
                group.addTask {
                    var drained = Drained()
                    let clock = ContinuousClock()
                    while quota.map({ drained.jobs < $0 }) ?? true {
                        let started = clock.now
                        let limit = min(batch, quota.map { $0 - drained.jobs } ?? batch)
                        let claimed = try await store.claim(
                            ClaimParams(
                                owner: "burn-down/\(consumer)", backend: "burn-down", limit: limit,
                                leaseDuration: .seconds(300), preferenceDepth: preferenceDepth))
                        drained.claimTime += clock.now - started
                        drained.claims += 1
                        guard !claimed.isEmpty else { return drained }
                        drained.jobs += try await complete(claimed, in: store)
                    }
                    return drained
                }
            }
            return try await group.reduce(into: Drained()) { total, one in
                total.jobs += one.jobs
                total.claims += one.claims
                total.claimTime += one.claimTime
            }
        }
    }
}
