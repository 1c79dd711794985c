import DarkroomCore
import Foundation
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
                    group.addTask { _ = await request(target, run: run) }
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
            guard await request(target, run: run) else { return }
            if think > .zero, (try? await Task.sleep(for: think)) == nil { return }
        }
    }

    /// One request of a user or an arrival: a transaction and, with `--honour-retry-after`, a retry under the same
    /// `Idempotency-Key` after each 429, once its `Retry-After` (at least the think time) has passed, as long as
    /// that is within `--retry-after-cap`; past it the user gives the request up. `false` once the run stopped.
    func request(_ target: any TargetClient, run: RunState) async -> Bool {
        let honours = configuration.honoursRetryAfter
        let key = honours ? UUID().uuidString : nil
        var isRetry = false
        while true {
            guard let result = await transaction(target, run: run, idempotencyKey: key, isRetry: isRetry) else {
                return false
            }
            guard honours, result.errorKind == .rejected, let seconds = result.retryAfterSeconds,
                .seconds(seconds) <= configuration.retryAfterCap
            else { return true }
            guard (try? await Task.sleep(for: max(.seconds(seconds), configuration.thinkTime))) != nil else {
                return false
            }
            isRetry = true
        }
    }

    /// Runs one transaction within the timeout and records it; `nil` (nothing recorded) when the run stopped first.
    func transaction(
        _ target: any TargetClient, run: RunState, idempotencyKey: String?, isRetry: Bool
    ) async -> TransactionResult? {
        guard run.log.withLock({ $0.begin() }) else { return nil }
        let began = clock.now
        let outcome: TransactionResult.Outcome
        var timing: JobTiming?
        var retryAfter: Int?
        do {
            timing = try await Self.within(began + configuration.timeout, clock: clock) {
                try await target.transact(idempotencyKey: idempotencyKey)
            }
            outcome = .succeeded
        } catch is CancellationError {
            return nil  // the run stopped: the transaction stays in flight
        } catch {
            let failure = TransactionFailure(transport: error)
            outcome = .failed(failure.kind)
            retryAfter = failure.retryAfterSeconds
            logFirst(failure, run: run)
        }
        let result = TransactionResult(
            started: began - run.start, ended: clock.now - run.start, outcome: outcome, job: timing,
            isRetry: isRetry, retryAfterSeconds: retryAfter)
        run.log.withLock { _ = $0.record(result) }
        return result
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
