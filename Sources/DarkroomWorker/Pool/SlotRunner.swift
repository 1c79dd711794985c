import DarkroomBackends
import DarkroomCore
import DarkroomStore
import Foundation
import Logging

/// One lane of a backend's slots: claims a job only when the backend's turns allow (a turn is free, or a running
/// request is at its last step: see ``TurnBook``) and its breaker admits, runs the attempt, and records how it
/// ended. A backend has two lanes per slot when claiming ahead, so one lane stores a result while the other's
/// job already runs.
struct SlotRunner: Sendable {
    /// The lease owner name: worker, backend and slot index.
    let owner: String
    let store: any JobQueue
    let managed: ManagedBackend
    let images: ImageDirectory
    let configuration: WorkerConfiguration
    let attempts: AttemptRunner
    let announced: AnnouncedWork
    let metrics: WorkerMetrics
    let logger: Logger

    /// How one round of a lane ended.
    enum Round: Sendable, Equatable {
        /// A job ran.
        case ran
        /// No job to claim: wait for new work or the poll interval.
        case foundNothing
        /// The breaker keeps the backend out: wait for new work or the poll interval.
        case breakerOpen
        /// The backend's turns do not allow a claim now: wait for ``ServerTurns/changed``.
        case heldBack
    }

    /// Claims and runs at most one job.
    func runOnce() async throws -> Round {
        guard await breakerAdmits() else { return .breakerOpen }
        guard let ticket = managed.turns.reserve() else { return .heldBack }
        // Normally ended by the attempt as soon as the server answers; here for every other way out.
        defer { managed.end(ticket) }
        let claim = ClaimParams(
            owner: owner, backend: managed.id, leaseDuration: configuration.leaseDuration,
            affinity: managed.claimAffinity, preferenceWindow: configuration.affinityWindow)
        let claiming = ContinuousClock.now
        announced.claimStarted()
        let claimed: Job?
        do {
            claimed = try await store.claim(claim).first
        } catch {
            announced.claimFailed()
            throw error
        }
        let term = LeaseTerm(duration: configuration.leaseDuration)
        metrics.claimTook(ContinuousClock.now - claiming, found: claimed != nil)
        if claimed == nil { announced.foundNothing() } else { announced.claimed(1) }
        guard let job = claimed, let lease = LeaseRef(job) else { return .foundNothing }
        var logger = logger
        logger[metadataKey: LogKey.jobID.rawValue] = "\(job.id)"
        logger[metadataKey: LogKey.jobAttempt.rawValue] = "\(job.attempt)"
        logger.info("Job claimed")
        let started = ContinuousClock.now
        metrics.waitedInQueue((job.startedAt ?? job.createdAt).timeIntervalSince(job.createdAt))
        let outcome = await attempts.run(job, lease: lease, term: term, ticket: ticket, logger: logger)
        let spent = (ContinuousClock.now - started).seconds
        metrics.attemptTook(spent)
        metrics.spentGPU(outcome.gpuSeconds(attempt: spent), outcome: outcome.gpuOutcome, tenant: job.tenant)
        await settle(job, lease: lease, term: term, outcome: outcome, logger: logger)
        return .ran
    }

    /// Whether the backend's breaker lets this slot claim; runs the half-open probe when it falls to this slot.
    private func breakerAdmits() async -> Bool {
        switch managed.breaker.decide() {
        case .proceed:
            return true
        case .wait:
            return false
        case .probe:
            let healthy = await managed.probe(within: configuration.healthTimeout)
            logger.notice(
                healthy ? "Backend healthy again; breaker closed" : "Backend still unhealthy; breaker stays open")
            return healthy
        }
    }

    /// Records how the attempt ended. While the store is unavailable, the outcome is kept and recorded when it
    /// answers again, as long as the lease may still be valid (``LeaseTerm``): a blip costs no second run.
    private func settle(_ job: Job, lease: LeaseRef, term: LeaseTerm, outcome: AttemptOutcome, logger: Logger) async {
        let record = Recorder(term: term, logger: logger)
        do {
            switch outcome {
            case .produced(let generated, let turn):
                managed.recordSuccess()
                try await complete(job, lease: lease, generated: generated, turn: turn, record: record)
            case .failed(let error):
                try await recordFailure(job, lease: lease, error: error, record: record)
            case .interrupted(.timedOut):
                try await recordFailure(job, lease: lease, error: .timedOut, record: record)
            case .interrupted(.draining):
                _ = try await record {
                    try await store.retry(RetryParams(lease: lease, runAfter: Date(), refundsAttempt: true))
                }
                logger.info("Job handed back on shutdown")
            case .interrupted(.canceled):
                metrics.jobFinished(state: .canceled, tenant: job.tenant)
                logger.info("Job canceled while running")
            case .interrupted(.expired):
                metrics.jobFinished(state: .expired, code: JobFailure.deadlineExceeded.code, tenant: job.tenant)
                logger.info("Job stopped at its deadline")
            case .interrupted(.leaseLost):
                logger.warning("Lease lost; attempt dropped")
            }
        } catch JobStoreError.leaseLost {
            logger.warning("Lease lost before the outcome was recorded")
        } catch {
            // The lease expires and the rescuer re-queues the job: nothing accepted is lost.
            logger.error("Outcome not recorded", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
        }
    }

    /// Runs a store call that records an outcome, through ``LeaseTerm/keepTrying(_:retrying:)``, logging each
    /// new try.
    private struct Recorder {
        let term: LeaseTerm
        let logger: Logger

        func callAsFunction<T>(_ call: () async throws -> T) async throws -> T {
            try await term.keepTrying(call) { error, delay in
                logger.warning(
                    "Outcome not recorded yet; trying again",
                    metadata: [
                        LogKey.error.rawValue: "\(String(reflecting: error))", LogKey.delay.rawValue: "\(delay)",
                    ])
            }
        }
    }

    private func complete(
        _ job: Job, lease: LeaseRef, generated: [GeneratedImage], turn: AttemptOutcome.Turn?, record: Recorder
    ) async throws {
        let results = try generated.enumerated().map { index, image in
            let name = ImageDirectory.name(jobID: job.id, index: index)
            try images.write(image.png, name: name)
            return ImageResult(
                name: name, width: image.width, height: image.height, seed: image.seed, sha256: image.sha256)
        }
        let correction = turn.flatMap {
            managed.costCorrection(served: $0.duration, portraits: job.request.referencePortraits, tenant: job.tenant)
        }
        do {
            _ = try await record {
                try await store.complete(
                    CompleteParams(
                        lease: lease, images: results, startedAt: turn?.startedAt, serviceTime: turn?.duration,
                        costCorrection: correction))
            }
        } catch {
            // The files share their names with every attempt of the job, and a completion whose answer was lost
            // may have committed: remove them only once the job has certainly ended without them. Any left are
            // swept as strays.
            if let current = try? await store.job(id: job.id), current.state.isTerminal, current.state != .succeeded {
                images.remove(results)
            }
            throw error
        }
        metrics.jobFinished(state: .succeeded, tenant: job.tenant)
        record.logger.info("Job succeeded")
    }

    /// Retries or fails the job. A backend fault also counts towards the breaker, and the job goes back to the
    /// queue at once (no backoff): another backend can run it now, and the claim order keeps it away from
    /// this one for a while.
    private func recordFailure(_ job: Job, lease: LeaseRef, error: BackendError, record: Recorder) async throws {
        var logger = record.logger
        logger[metadataKey: LogKey.errorCode.rawValue] = "\(error.code)"
        if error.isBackendFault, managed.recordFault(error) {
            logger.warning(
                "Backend breaker opened",
                metadata: [LogKey.delay.rawValue: "\(managed.breaker.policy.failTimeout)"])
        }
        let decision = configuration.retryPolicy.decide(
            attempt: job.attempt, isRetryable: error.isRetryable, jitter: Double.random(in: 0..<1))
        switch decision {
        case .retry(let backoff):
            let delay = error.isBackendFault ? Duration.zero : backoff
            let runAfter = Date().addingTimeInterval(delay.seconds)
            _ = try await record { try await store.retry(RetryParams(lease: lease, runAfter: runAfter)) }
            metrics.retried()
            logger.warning("Job will be retried", metadata: [LogKey.delay.rawValue: "\(delay)"])
        case .fail, .giveUp:
            _ = try await record {
                try await store.fail(
                    FailParams(lease: lease, failure: JobFailure(code: error.code, message: error.message)))
            }
            metrics.jobFinished(state: .failed, code: error.code, tenant: job.tenant)
            logger.info("Job failed")
        }
    }
}
