import DarkroomBackends
import DarkroomCore
import DarkroomStore
import Logging

/// Runs one attempt of a claimed job: the backend call, the heartbeats, the timeout and interruptions,
/// raced in one task group so that whichever ends first decides and the rest are cancelled.
///
/// The backend's task is cancelled on cancel, drain, lease loss or timeout, which interrupts the GPU work;
/// the caller records the outcome.
struct AttemptRunner: Sendable {
    let store: any JobStore
    let backend: any Backend
    let configuration: WorkerConfiguration
    let runningJobs: RunningJobs

    func run(_ job: Job, lease: LeaseRef, logger: Logger) async -> AttemptOutcome {
        let interruptions = runningJobs.register(job.id)
        defer { runningJobs.unregister(job.id) }
        return await withTaskGroup(of: AttemptOutcome?.self) { group in
            group.addTask { await generate(job, lease: lease, logger: logger) }
            group.addTask {
                for await reason in interruptions { return .interrupted(reason) }
                return nil
            }
            group.addTask { await keepLeaseAlive(lease, logger: logger) }
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

    private func generate(_ job: Job, lease: LeaseRef, logger: Logger) async -> AttemptOutcome? {
        let throttle = ProgressThrottle(interval: configuration.progressInterval)
        do {
            let images = try await backend.generate(job.request) { progress in
                guard throttle.admits(progress) else { return }
                await report(progress, lease: lease, logger: logger)
            }
            return .produced(images)
        } catch let error as BackendError {
            return .failed(error)
        } catch is CancellationError {
            return nil
        } catch {
            logger.warning("Backend threw an unexpected error", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
            return .failed(.unavailable(String(reflecting: error)))
        }
    }

    /// Records progress; it also extends the lease, and tells the attempt to stop if the lease is gone.
    private func report(_ progress: JobProgress, lease: LeaseRef, logger: Logger) async {
        do {
            _ = try await store.heartbeat(
                HeartbeatParams(lease: lease, leaseDuration: configuration.leaseDuration, progress: progress))
        } catch JobStoreError.leaseLost {
            runningJobs.interrupt(lease.jobID, because: .leaseLost)
        } catch {
            logger.debug("JobProgress not recorded", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
        }
    }

    private func keepLeaseAlive(_ lease: LeaseRef, logger: Logger) async -> AttemptOutcome? {
        while true {
            do {
                try await Task.sleep(for: configuration.heartbeatInterval)
            } catch {
                return nil
            }
            do {
                _ = try await store.heartbeat(HeartbeatParams(lease: lease, leaseDuration: configuration.leaseDuration))
                logger.debug("Heartbeat sent")
            } catch JobStoreError.leaseLost {
                return .interrupted(.leaseLost)
            } catch {
                logger.warning("Heartbeat failed", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
            }
        }
    }
}
