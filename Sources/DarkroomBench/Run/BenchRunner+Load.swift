import DarkroomCore
import Logging
import Synchronization

/// Offering load: closed-loop virtual users or open-loop arrivals, each transaction bounded by the timeout.
extension BenchRunner {
    func generateLoad(_ target: any TargetClient, run: RunState) async {
        switch configuration.load {
        case .closedLoop(let ramp, let think):
            await withDiscardingTaskGroup { group in
                for index in 0..<ramp.users {
                    group.addTask {
                        await user(
                            starting: run.start + ramp.startOffset(ofUser: index), think: think, target, run: run)
                    }
                }
            }
        case .openLoop(let rate):
            await withDiscardingTaskGroup { group in
                var arrival = 0
                while true {
                    let offset = Duration.seconds(Double(arrival) / rate)
                    guard offset < configuration.duration else { return }
                    guard (try? await Task.sleep(until: run.start + offset, clock: clock)) != nil else { return }
                    group.addTask { await transaction(target, run: run) }
                    arrival += 1
                }
            }
        }
    }

    /// One virtual user: starts at `start`, then runs transactions back to back, `think` apart, until cancelled.
    private func user(
        starting start: ContinuousClock.Instant, think: Duration, _ target: any TargetClient, run: RunState
    ) async {
        guard (try? await Task.sleep(until: start, clock: clock)) != nil else { return }
        while !Task.isCancelled {
            await transaction(target, run: run)
            if think > .zero, (try? await Task.sleep(for: think)) == nil { return }
        }
    }

    /// Runs one transaction within the timeout and records it, unless the run stopped first.
    func transaction(_ target: any TargetClient, run: RunState) async {
        guard run.log.withLock({ $0.begin() }) else { return }
        let began = clock.now
        let outcome: TransactionResult.Outcome
        var timing: JobTiming?
        do {
            timing = try await Self.within(began + configuration.timeout, clock: clock) { try await target.transact() }
            outcome = .succeeded
        } catch is CancellationError {
            return  // the run stopped: the transaction stays in flight
        } catch {
            let failure = TransactionFailure(transport: error)
            outcome = .failed(failure.kind)
            logFirst(failure, run: run)
        }
        let result = TransactionResult(
            started: began - run.start, ended: clock.now - run.start, outcome: outcome, job: timing)
        run.log.withLock { _ = $0.record(result) }
    }

    /// The result of `work`, or a `timeout` failure once `deadline` passes (the work is then cancelled).
    static func within<T: Sendable>(
        _ deadline: ContinuousClock.Instant, clock: ContinuousClock, _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: DeadlineRace<T>.self) { group in
            group.addTask { .finished(try await work()) }
            group.addTask {
                try await Task.sleep(until: deadline, clock: clock)
                return .deadline
            }
            defer { group.cancelAll() }
            switch try await group.next() {
            case .finished(let value): return value
            case .deadline: throw TransactionFailure(kind: .timeout, detail: "no result within the timeout")
            case nil: throw CancellationError()
            }
        }
    }

    /// Logs the first error of each kind, with its detail, so a run that fails says why without flooding.
    private func logFirst(_ failure: TransactionFailure, run: RunState) {
        guard run.loggedKinds.withLock({ $0.insert(failure.kind).inserted }) else { return }
        logger.warning(
            "Transaction failed",
            metadata: [LogKey.errorCode.rawValue: "\(failure.kind.code)", LogKey.error.rawValue: "\(failure.detail)"])
    }
}

/// Which finished first in ``BenchRunner/within(_:clock:_:)``.
private enum DeadlineRace<T: Sendable>: Sendable {
    case finished(T)
    case deadline
}
