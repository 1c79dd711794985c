import DarkroomBackends
import DarkroomCore
import DarkroomStore
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// The slots of one worker process: each claims a job only when it is free (pull, not push).
///
/// ```
///  enqueue ──▶ store ──change feed──▶ doorbell ──wakes──▶ idle slots ──claim──▶ backend
///                 ▲                                                       │
///                 └──────────── heartbeat / complete / retry / fail ──────┘
/// ```
///
/// Each backend slot has two lanes (with `claimsAhead`): while one lane's answer is decoded and stored, the other's
/// job is already on the server; ``ServerTurns`` keeps the server at one request per slot. Idle slots wake on the
/// store's change feed (or every `pollInterval`). A job canceled while running is
/// interrupted at once. On graceful shutdown the pool stops claiming, lets running jobs finish for up to
/// `drainTimeout`, then hands the rest back to the queue without counting the attempt, and returns.
public final class WorkerPool: Service, CapacitySource {
    private let store: any JobQueue & WorkerRegistry
    private let runners: [SlotRunner]
    private let backends: [ManagedBackend]
    private let configuration: WorkerConfiguration
    private let runningJobs = RunningJobs()
    private let doorbell = Doorbell()
    /// Whether a lane that the turns woke (a running job reached its last step), or that just finished a job, may
    /// find something to claim; when not, it waits for the doorbell or the poll instead of asking the store.
    private let announced = AnnouncedWork()
    private let draining = Atomic<Bool>(false)
    private let logger: Logger

    public init(
        store: any JobQueue & WorkerRegistry, backends: [any Backend], images: ImageDirectory,
        configuration: WorkerConfiguration, previews: any PreviewChannel = NoPreviews(),
        metricsFactory: any MetricsFactory = MetricsSystem.factory, logger: Logger
    ) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        let metrics = WorkerMetrics(factory: metricsFactory)
        var runners: [SlotRunner] = []
        let managedBackends = backends.map {
            ManagedBackend($0, configuration: configuration, factory: metricsFactory)
        }
        let lanesPerSlot = configuration.claimsAhead ? 2 : 1
        for managed in managedBackends {
            let backend = managed.backend
            for lane in 0..<(backend.slots * lanesPerSlot) {
                var slotLogger = logger
                slotLogger[metadataKey: LogKey.backendID.rawValue] = "\(backend.id)"
                slotLogger[metadataKey: LogKey.workerID.rawValue] = "\(configuration.workerID)"
                let attempts = AttemptRunner(
                    store: store, managed: managed, configuration: configuration, runningJobs: runningJobs,
                    previews: PreviewPolicy(channel: previews, interval: configuration.previewInterval))
                runners.append(
                    SlotRunner(
                        owner: "\(configuration.workerID)/\(backend.id)/\(lane)", store: store, managed: managed,
                        images: images, configuration: configuration, attempts: attempts, announced: announced,
                        metrics: metrics, logger: slotLogger))
            }
        }
        self.runners = runners
        self.backends = managedBackends
    }

    /// Whether a graceful shutdown has begun: from then on no slot claims a job.
    public var isDraining: Bool { draining.load(ordering: .relaxed) }

    /// Slots are server turns; a job claimed ahead and waiting for its turn does not make a slot busy.
    public func capacity() async -> Capacity {
        Capacity(
            slots: backends.reduce(0) { $0 + $1.backend.slots },
            busySlots: backends.reduce(0) { $0 + $1.turns.running })
    }

    public func backends() async -> [BackendStatus] {
        backends.map { $0.status(worker: configuration.workerID) }
    }

    public func run() async throws {
        let changes = store.stateChanges()
        logger.info("Worker pool started", metadata: [LogKey.count.rawValue: "\(runners.count)"])
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.follow(changes) }
            group.addTask { await self.drainOnShutdown() }
            group.addTask { await self.announce() }
            await withTaskGroup(of: Void.self) { slots in
                for runner in runners {
                    slots.addTask { await self.loop(runner) }
                }
            }
            group.cancelAll()
        }
        // Gone: stop being counted at once rather than when the announcement times out.
        try? await store.announceWorker(
            AnnounceWorkerParams(workerID: configuration.workerID, capacity: Capacity(slots: 0, busySlots: 0)))
        logger.info("Worker pool stopped")
    }

    /// A lane waits on the doorbell as idle (one a new job may wake alone) only while its backend's turns would let
    /// it claim: a lane woken for a job it may not claim would leave the job waiting for its backend while another
    /// backend's lane sleeps. A lane refused by its turns while jobs wait unclaimed hands them on.
    private func loop(_ runner: SlotRunner) async {
        let turns = runner.managed.turns
        while !isDraining && !Task.isCancelled {
            let generation = doorbell.generation
            let turnsGeneration = turns.changed.generation
            do {
                switch try await runner.runOnce() {
                case .ran: await idleUnlessWorkAnnounced(isIdle: turns.mayClaim)
                // From now: a job announced during the claim woke an idle slot, or is kept for this one.
                case .foundNothing: await awaitWork(after: doorbell.generation, isIdle: turns.mayClaim)
                case .breakerOpen: await idle(on: doorbell, after: generation)
                case .heldBack:
                    if announced.mayBeWaiting { doorbell.passOn() }
                    await idle(on: turns.changed, after: turnsGeneration)
                    await idleUnlessWorkAnnounced(isIdle: false)
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("Claim failed", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
                // Idle lanes left the jobs announced to this claim.
                if announced.mayBeWaiting { doorbell.passOn() }
                await idle(on: doorbell, after: generation)
            }
        }
    }

    /// Returns at once when a claim may find something (``AnnouncedWork``); otherwise waits for it. The generation
    /// is read before the count, so an announcement in between is not lost.
    private func idleUnlessWorkAnnounced(isIdle: Bool) async {
        let generation = doorbell.generation
        guard !announced.mayBeWaiting else { return }
        await awaitWork(after: generation, isIdle: isIdle)
    }

    /// Waits until a claim may find something: the doorbell rang and ``AnnouncedWork`` counts a job that no claim
    /// on its way will take, or the poll interval passed (the poll claims whatever the count says). A lane the
    /// doorbell woke for a job another lane is already claiming goes back to sleep.
    private func awaitWork(after generation: UInt64, isIdle: Bool) async {
        let poll = ContinuousClock.now + configuration.pollInterval
        var generation = generation
        while !isDraining && !Task.isCancelled {
            guard await idle(on: doorbell, after: generation, until: poll, isIdle: isIdle) else { return }
            generation = doorbell.generation
            if announced.mayBeWaiting { return }
        }
    }

    /// Waits for `bell` (work may have arrived, or the backend's turns may now allow a claim) or the poll
    /// interval, whichever comes first; `isIdle`: see ``Doorbell/wait(after:isIdle:)``.
    private func idle(on bell: Doorbell, after generation: UInt64, isIdle: Bool = false) async {
        _ = await idle(on: bell, after: generation, until: .now + configuration.pollInterval, isIdle: isIdle)
    }

    /// Waits for `bell` or until `deadline`; returns whether the bell (or a cancellation) ended the wait.
    private func idle(
        on bell: Doorbell, after generation: UInt64, until deadline: ContinuousClock.Instant, isIdle: Bool
    ) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await bell.wait(after: generation, isIdle: isIdle)
                return true
            }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return false
            }
            let rang = await group.next() ?? false
            group.cancelAll()
            return rang
        }
    }

    /// Wakes idle slots when a job becomes claimable and interrupts jobs canceled while running here.
    private func follow(_ changes: AsyncStream<JobStateChange>) async {
        for await job in changes {
            switch job.state {
            case .queued:
                announced.announced()
                doorbell.ringOnce()
            case .canceled: runningJobs.stop(job.id, because: .canceled)
            case .expired: runningJobs.stop(job.id, because: .expired)
            default: break
            }
        }
    }

    /// Every `announceInterval`: checks each backend's health (GPU memory, reachability) and tells the store how
    /// many slots this pool has, how many are busy, and how its backends stand.
    private func announce() async {
        repeat {
            await checkHealth()
            let params = AnnounceWorkerParams(
                workerID: configuration.workerID, capacity: await capacity(), backends: await backends())
            do {
                try await store.announceWorker(params)
            } catch {
                logger.debug("Announcement failed", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
            }
        } while (try? await Task.sleep(for: configuration.announceInterval)) != nil
    }

    /// Asks every backend for its health at once, each bounded by `healthTimeout`, so one silent server
    /// cannot delay the announcement that keeps this worker counted.
    private func checkHealth() async {
        await withTaskGroup(of: Void.self) { group in
            for backend in backends {
                group.addTask {
                    await backend.checkHealth(within: self.configuration.healthTimeout)
                    backend.publishBreakerState()
                }
            }
        }
    }

    private func drainOnShutdown() async {
        do {
            try await gracefulShutdown()
        } catch {
            return
        }
        draining.store(true, ordering: .relaxed)
        for backend in backends { backend.turns.close() }
        doorbell.ring()
        logger.info("Draining", metadata: [LogKey.count.rawValue: "\(runningJobs.count)"])
        guard (try? await Task.sleep(for: configuration.drainTimeout)) != nil else { return }
        runningJobs.interruptAll(because: .draining)
    }
}
