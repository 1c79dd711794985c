import DarkroomBackends
import DarkroomCore
import DarkroomStore
import Foundation
import Logging
import Synchronization

/// Runs one attempt of a claimed job: the backend call, the heartbeats, the timeout and interruptions,
/// raced in one task group so that whichever ends first decides and the rest are cancelled.
///
/// The backend call waits for the job's turn on the server (``ServerTurns``), gives the turn back as soon as the
/// server has answered, and only then finishes the answer (decoding, downloads), so the next job's request
/// overlaps this one's images. The backend's task is cancelled on cancel, drain, lease loss or timeout, which
/// interrupts the GPU work (or the wait for a turn); the caller records the outcome.
struct AttemptRunner: Sendable {
    let store: any JobQueue
    let managed: ManagedBackend
    let configuration: WorkerConfiguration
    let runningJobs: RunningJobs
    let previews: PreviewPolicy

    /// - Parameter term: extended by every heartbeat that the store answers.
    func run(
        _ job: Job, lease: LeaseRef, term: LeaseTerm, ticket: ServerTurns.Ticket, logger: Logger
    ) async -> AttemptOutcome {
        let interruptions = runningJobs.register(job.id)
        defer { runningJobs.unregister(job.id) }
        let outcome = await race(
            job, lease: lease, term: term, ticket: ticket, interruptions: interruptions, logger: logger)
        await previews.discard(job)
        return outcome
    }

    /// The backend call, interruptions, heartbeats and the timeout, raced; the first outcome wins.
    private func race(
        _ job: Job, lease: LeaseRef, term: LeaseTerm, ticket: ServerTurns.Ticket,
        interruptions: AsyncStream<Interruption>, logger: Logger
    ) async -> AttemptOutcome {
        await withTaskGroup(of: AttemptOutcome?.self) { group in
            group.addTask { await generate(job, lease: lease, term: term, ticket: ticket, logger: logger) }
            group.addTask {
                for await reason in interruptions { return .interrupted(reason) }
                return nil
            }
            group.addTask { await keepLeaseAlive(lease, term: term, logger: logger) }
            group.addTask {
                do {
                    try await Task.sleep(for: configuration.jobTimeout)
                    return .interrupted(.timedOut)
                } catch {
                    return nil
                }
            }
            // If every task ends without an outcome, this task itself was cancelled: hand the job back.
            var outcome = AttemptOutcome.interrupted(.draining)
            for await result in group {
                if let result {
                    outcome = result
                    break
                }
            }
            group.cancelAll()
            return outcome
        }
    }

    private func generate(
        _ job: Job, lease: LeaseRef, term: LeaseTerm, ticket: ServerTurns.Ticket, logger: Logger
    ) async -> AttemptOutcome? {
        let turnTime = TurnTime()
        do {
            let answer = try await runOnServer(
                job, lease: lease, term: term, ticket: ticket, turnTime: turnTime, logger: logger)
            // The turn just went to the next job: let its request go out before this one's CPU-heavy finishing.
            await Task.yield()
            return .produced(try await answer.images(), turn: turnTime.span)
        } catch let error as BackendError {
            return .failed(error)
        } catch is ServerTurns.Closed {
            return .interrupted(.draining)
        } catch is CancellationError {
            return nil
        } catch {
            logger.warning(
                "Backend threw an unexpected error", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
            return .failed(.unavailable(String(reflecting: error)))
        }
    }

    /// The server's part of the attempt: the backend waits for the ticket's turn when its server needs it, and
    /// notes in `turnTime` when it came and went.
    ///
    /// An answer ends the turn at once, so the next job goes to the server while this one is finished. A failure
    /// keeps it until the slot has recorded the outcome (`SlotRunner` ends it), so a fault counts towards the
    /// breaker before this backend's next job may start.
    private func runOnServer(
        _ job: Job, lease: LeaseRef, term: LeaseTerm, ticket: ServerTurns.Ticket, turnTime: TurnTime, logger: Logger
    ) async throws -> BackendAnswer {
        let throttle = ProgressThrottle(interval: configuration.progressInterval)
        let turns = managed.turns
        let turn = ServerTurn {
            try await managed.take(ticket, for: job.request.affinity)
            turnTime.began()
        }
        let onProgress: @Sendable (JobProgress) async -> Void = { progress in
            if progress.isNearingEnd { turns.nearingEnd(ticket) }
            guard throttle.admits(progress) else { return }
            await report(progress, lease: lease, term: term, logger: logger)
        }
        let answer =
            if let previewing = managed.backend as? any PreviewingBackend {
                try await previewing.run(
                    job.request, turn: turn, previews: previews.sink(for: job), progress: onProgress)
            } else {
                try await managed.backend.run(job.request, turn: turn, progress: onProgress)
            }
        managed.end(ticket)
        turnTime.ended()
        return answer
    }

    /// Records progress; it also extends the lease, and tells the attempt to stop if the lease is gone.
    private func report(_ progress: JobProgress, lease: LeaseRef, term: LeaseTerm, logger: Logger) async {
        do {
            _ = try await store.heartbeat(
                HeartbeatParams(lease: lease, leaseDuration: configuration.leaseDuration, progress: progress))
            term.extended()
        } catch JobStoreError.leaseLost {
            runningJobs.interrupt(lease.jobID, because: .leaseLost)
        } catch {
            logger.debug("JobProgress not recorded", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
        }
    }

    private func keepLeaseAlive(_ lease: LeaseRef, term: LeaseTerm, logger: Logger) async -> AttemptOutcome? {
        while true {
            do {
                try await Task.sleep(for: configuration.heartbeatInterval)
            } catch {
                return nil
            }
            do {
                _ = try await store.heartbeat(HeartbeatParams(lease: lease, leaseDuration: configuration.leaseDuration))
                term.extended()
                logger.debug("Heartbeat sent")
            } catch JobStoreError.leaseLost {
                return .interrupted(.leaseLost)
            } catch {
                logger.warning("Heartbeat failed", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
            }
        }
    }
}

/// When an attempt had its turn on the server, noted from inside the backend's call.
private final class TurnTime: Sendable {
    private let noted = Mutex<(start: Date?, end: ContinuousClock.Instant?, began: ContinuousClock.Instant?)>(
        (nil, nil, nil))

    func began() {
        noted.withLock { noted in
            noted.start = Date()
            noted.began = .now
        }
    }

    func ended() { noted.withLock { $0.end = .now } }

    /// When the turn began and how long it lasted, once both are known.
    var span: AttemptOutcome.Turn? {
        noted.withLock { noted in
            guard let start = noted.start, let began = noted.began, let end = noted.end else { return nil }
            return AttemptOutcome.Turn(startedAt: start, duration: end - began)
        }
    }
}
