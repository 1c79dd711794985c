import DarkroomCore
import Foundation
import Logging
import NIOCore
import Synchronization

/// The run's side outputs: the progress line and the target's limit.
extension BenchRunner {
    /// Calls `progress` once a second until cancelled.
    func reportProgress(run: RunState, to progress: @Sendable (ProgressSnapshot) -> Void) async {
        var previous = (at: Duration.zero, ok: 0)
        while (try? await Task.sleep(for: .seconds(1))) != nil {
            let elapsed = clock.now - run.start
            let (ok, errors, inFlight) = run.log.withLock { ($0.wholeRun.ok, $0.wholeRun.errors, $0.inFlight) }
            let span = (elapsed - previous.at).inSeconds
            progress(
                ProgressSnapshot(
                    elapsed: elapsed, users: activeUsers(at: elapsed), inFlight: inFlight, ok: ok, errors: errors,
                    currentOKPerSecond: span > 0 ? Double(ok - previous.ok) / span : 0))
            previous = (elapsed, ok)
        }
    }

    private func activeUsers(at elapsed: Duration) -> Int? {
        if case .closedLoop(let ramp, _) = configuration.load { ramp.activeUsers(at: elapsed) } else { nil }
    }

    /// `--limit`, or for a Darkroom target `slots ÷ mean_service_seconds` from `GET /v1/queue`; `nil` when unknown.
    func limit(_ http: BenchHTTP) async -> ThroughputLimit? {
        if let perSecond = configuration.limitPerSecond {
            return ThroughputLimit(perSecond: perSecond, source: "--limit")
        }
        guard configuration.protocol == .darkroom else { return nil }
        do {
            let answer = try await http.get("/v1/queue", timeout: .seconds(5))
            guard answer.isSuccess else { throw TransactionFailure.status(answer.status, retryAfter: nil) }
            return try JSONDecoder().decode(QueueCapacity.self, from: Data(answer.body.readableBytesView)).limit
        } catch {
            logger.warning("Queue figures unavailable", metadata: [LogKey.error.rawValue: "\(error)"])
            return nil
        }
    }
}
