import Synchronization

/// The control plane's closed loop: `clients` clients each run one job after another, with no pause, until
/// `warmupJobs + jobs` have been started. Each job is bounded by `timeout`.
struct ControlPlaneLoop: Sendable {
    var clients: Int
    var warmupJobs: Int
    var jobs: Int
    var timeout: Duration

    /// Runs the loop against `target` and returns what it counted; `progress` is told the jobs done so far
    /// about once a second. Cancellation stops it early (jobs running then are not counted).
    func run(_ target: any TargetClient, progress: @escaping @Sendable (Int) -> Void) async -> ControlPlaneTally {
        let clock = ContinuousClock()
        let start = clock.now
        let state = Shared(State(tally: ControlPlaneTally(warmupJobs: warmupJobs)))
        let total = warmupJobs + jobs
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while (try? await Task.sleep(for: .seconds(1))) != nil {
                    progress(state.withLock { $0.done })
                }
            }
            await withDiscardingTaskGroup { clientGroup in
                for _ in 0..<clients {
                    clientGroup.addTask {
                        while !Task.isCancelled, let ticket = state.withLock({ $0.take(below: total) }) {
                            guard let result = await transaction(target, clock: clock, start: start) else { return }
                            state.withLock { $0.record(ticket: ticket, result) }
                        }
                    }
                }
            }
            group.cancelAll()
        }
        return state.withLock { $0.tally }
    }

    /// One job, or `nil` when the loop was cancelled during it.
    private func transaction(
        _ target: any TargetClient, clock: ContinuousClock, start: ContinuousClock.Instant
    ) async -> TransactionResult? {
        let began = clock.now
        do {
            let timing = try await BenchRunner.within(began + timeout, clock: clock) {
                try await target.transact(idempotencyKey: nil)
            }
            return TransactionResult(started: began - start, ended: clock.now - start, outcome: .succeeded, job: timing)
        } catch is CancellationError {
            return nil
        } catch {
            let failure = TransactionFailure(transport: error)
            return TransactionResult(started: began - start, ended: clock.now - start, outcome: .failed(failure.kind))
        }
    }

    /// The clients' shared counters, behind a lock.
    private final class Shared: Sendable {
        let mutex: Mutex<State>

        init(_ state: State) { mutex = Mutex(state) }

        func withLock<T: Sendable>(_ body: (inout sending State) -> sending T) -> sending T { mutex.withLock(body) }
    }

    private struct State {
        var tally: ControlPlaneTally
        var nextTicket = 0
        var done = 0

        /// The next job's number, or `nil` once `total` have been started.
        mutating func take(below total: Int) -> Int? {
            guard nextTicket < total else { return nil }
            defer { nextTicket += 1 }
            return nextTicket
        }

        mutating func record(ticket: Int, _ result: TransactionResult) {
            done += 1
            tally.record(ticket: ticket, result)
        }
    }
}
