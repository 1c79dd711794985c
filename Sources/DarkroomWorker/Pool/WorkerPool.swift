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
/// Idle slots wake on the store's change feed (or every `pollInterval`). A job canceled while running is
/// interrupted at once. On graceful shutdown the pool stops claiming, lets running jobs finish for up to
/// `drainTimeout`, then hands the rest back to the queue without counting the attempt, and returns.
public final class WorkerPool: Service, CapacitySource {
    private let store: any JobStore
    private let runners: [SlotRunner]
    private let backends: [ManagedBackend]
    private let configuration: WorkerConfiguration
    private let runningJobs = RunningJobs()
    private let doorbell = Doorbell()
    private let isDraining = Atomic<Bool>(false)
    private let logger: Logger

    public init(
        store: any JobStore, backends: [any Backend], images: ImageDirectory, configuration: WorkerConfiguration,
        metricsFactory: any MetricsFactory = MetricsSystem.factory, logger: Logger
    ) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        let metrics = WorkerMetrics(factory: metricsFactory)
        var runners: [SlotRunner] = []
        let managedBackends = backends.map {
            ManagedBackend($0, policy: configuration.breakerPolicy, factory: metricsFactory)
        }
        for managed in managedBackends {
            let backend = managed.backend
            for slot in 0..<backend.slots {
                var slotLogger = logger
                slotLogger[metadataKey: LogKey.backendID.rawValue] = "\(backend.id)"
                slotLogger[metadataKey: LogKey.workerID.rawValue] = "\(configuration.workerID)"
                let attempts = AttemptRunner(
                    store: store, backend: backend, configuration: configuration, runningJobs: runningJobs)
                runners.append(
                    SlotRunner(
                        owner: "\(configuration.workerID)/\(backend.id)/\(slot)", store: store, managed: managed,
                        images: images, configuration: configuration, attempts: attempts, metrics: metrics,
                        logger: slotLogger))
            }
        }
        self.runners = runners
        self.backends = managedBackends
    }

    public func capacity() async -> Capacity {
        Capacity(slots: runners.count, busySlots: runningJobs.count)
    }

    public func backends() async -> [BackendStatus] {
        backends.map { $0.status(worker: configuration.workerID) }
    }

    public func run() async throws {
        let changes = store.changes()
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

    private func loop(_ runner: SlotRunner) async {
        while !isDraining.load(ordering: .relaxed) && !Task.isCancelled {
            let generation = doorbell.generation
            do {
                if try await runner.runOnce() { continue }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("Claim failed", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
            }
            await idle(after: generation)
        }
    }

    /// Waits for the doorbell or the poll interval, whichever comes first.
    private func idle(after generation: UInt64) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.doorbell.wait(after: generation) }
            group.addTask { try? await Task.sleep(for: self.configuration.pollInterval) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Wakes idle slots when a job becomes claimable and interrupts jobs canceled while running here.
    private func follow(_ changes: AsyncStream<Job>) async {
        for await job in changes {
            switch job.state {
            case .queued: doorbell.ring()
            case .canceled where runningJobs.contains(job.id): runningJobs.interrupt(job.id, because: .canceled)
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
        isDraining.store(true, ordering: .relaxed)
        doorbell.ring()
        logger.info("Draining", metadata: [LogKey.count.rawValue: "\(runningJobs.count)"])
        guard (try? await Task.sleep(for: configuration.drainTimeout)) != nil else { return }
        runningJobs.interruptAll(because: .draining)
    }
}
