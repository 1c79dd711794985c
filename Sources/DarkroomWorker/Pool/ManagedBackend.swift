import DarkroomBackends
import DarkroomCore
import Metrics
import Synchronization

/// A backend as its worker sees it: the breaker and the server turns its slots share, its last health check,
/// and the gauges that publish them.
final class ManagedBackend: Sendable {
    let backend: any Backend
    let breaker: CircuitBreaker
    /// Which claimed jobs have the server now, and whether a slot may claim ahead.
    let turns: ServerTurns
    private let lastHealth = Mutex<BackendHealth>(.reachable)
    private let lastTurnAffinity = Mutex<ModelAffinity?>(nil)
    private let pace = Mutex(ServicePace())
    private let charges = Mutex(PendingCharges())
    private let breakerGauge: Gauge
    private let upGauge: Gauge
    private let memoryUsedGauge: Gauge
    private let memoryTotalGauge: Gauge
    private let slotsGauge: Gauge
    private let busyGauge: Gauge
    private let openings: Counter
    private let factory: any MetricsFactory
    private let faultCounters = Mutex<[String: Counter]>([:])

    init(_ backend: any Backend, configuration: WorkerConfiguration, factory: any MetricsFactory) {
        self.backend = backend
        self.breaker = CircuitBreaker(policy: configuration.breakerPolicy, now: configuration.breakerClock)
        self.turns = ServerTurns(turns: backend.slots, claimsAhead: configuration.claimsAhead)
        self.factory = factory
        let label = [(MetricNames.Label.backend, backend.id)]
        breakerGauge = Gauge(label: MetricNames.backendBreakerState, dimensions: label, factory: factory)
        upGauge = Gauge(label: MetricNames.backendUp, dimensions: label, factory: factory)
        memoryUsedGauge = Gauge(label: MetricNames.backendGPUMemoryUsed, dimensions: label, factory: factory)
        memoryTotalGauge = Gauge(label: MetricNames.backendGPUMemoryTotal, dimensions: label, factory: factory)
        slotsGauge = Gauge(label: MetricNames.backendSlots, dimensions: label, factory: factory)
        busyGauge = Gauge(label: MetricNames.backendBusySlots, dimensions: label, factory: factory)
        openings = Counter(label: MetricNames.backendBreakerOpened, dimensions: label, factory: factory)
        breakerGauge.record(BreakerState.closed.gaugeValue)
        upGauge.record(1)
        slotsGauge.record(backend.slots)
        busyGauge.record(0)
    }

    var id: String { backend.id }

    /// Learns from a served job how long this backend takes, and returns the charge to send for `tenant` now: how
    /// much more GPU time (in reference portraits; negative: less) its jobs took than predicted, summed until it
    /// is due (``PendingCharges``).
    func costCorrection(served: Duration, portraits: Double, tenant: String) -> Double? {
        guard let correction = pace.withLock({ $0.record(seconds: served.seconds, portraits: portraits) }) else {
            return nil
        }
        return charges.withLock { $0.add(correction, for: tenant) }
    }

    /// Asks the server how it is, and publishes the answer; no answer within `limit` is unreachable.
    @discardableResult
    func checkHealth(within limit: Duration) async -> BackendHealth {
        let backend = backend
        let health =
            await withTaskGroup(of: BackendHealth?.self) { group in
                group.addTask { await backend.health() }
                group.addTask {
                    try? await Task.sleep(for: limit)
                    return nil
                }
                defer { group.cancelAll() }
                return await group.next() ?? nil
            } ?? BackendHealth(isReachable: false, problem: "no health answer within \(limit)")
        lastHealth.withLock { $0 = health }
        upGauge.record(health.isReachable ? 1 : 0)
        if let memory = health.gpuMemory {
            memoryUsedGauge.record(memory.usedBytes)
            memoryTotalGauge.record(memory.totalBytes)
        }
        return health
    }

    /// Counts an attempt that failed through the backend's fault; returns whether it opened the breaker.
    func recordFault(_ error: BackendError) -> Bool {
        let counter = faultCounters.withLock { cache in
            if let counter = cache[error.code] { return counter }
            let counter = Counter(
                label: MetricNames.backendFailures,
                dimensions: [(MetricNames.Label.backend, backend.id), (MetricNames.Label.code, error.code)],
                factory: factory)
            cache[error.code] = counter
            return counter
        }
        counter.increment()
        let opened = breaker.recordFailure()
        if opened { openings.increment() }
        publishBreakerState()
        return opened
    }

    func recordSuccess() {
        breaker.recordSuccess()
    }

    /// Runs the half-open probe: a health check decides whether the breaker closes.
    func probe(within limit: Duration) async -> Bool {
        let healthy = await checkHealth(within: limit).isReachable
        breaker.recordProbe(healthy: healthy)
        publishBreakerState()
        return healthy
    }

    func publishBreakerState() {
        breakerGauge.record(breaker.state.gaugeValue)
    }

    /// Waits for a turn on the server (see ``ServerTurns/take(_:)``) for a request needing `affinity`; the
    /// busy-slots gauge counts it.
    func take(_ ticket: ServerTurns.Ticket, for affinity: ModelAffinity) async throws {
        defer { busyGauge.record(turns.running) }
        try await turns.take(ticket)
        lastTurnAffinity.withLock { $0 = affinity }
    }

    /// The model and LoRAs a claim should prefer: those of the request that last got the server (a job claimed
    /// ahead follows it there), else what the backend reports loaded.
    var claimAffinity: ModelAffinity? {
        lastTurnAffinity.withLock { $0 } ?? backend.loadedAffinity
    }

    /// Ends the ticket (see ``ServerTurns/end(_:)``); harmless when already ended.
    func end(_ ticket: ServerTurns.Ticket) {
        if turns.end(ticket) { busyGauge.record(turns.running) }
    }

    /// What the worker announces for this backend.
    func status(worker: String) -> BackendStatus {
        let health = lastHealth.withLock { $0 }
        return BackendStatus(
            id: backend.id, worker: worker, kind: backend.kind, breaker: breaker.state, slots: backend.slots,
            busySlots: turns.running, reachable: health.isReachable,
            loaded: backend.loadedAffinity?.key, gpuMemoryUsedBytes: health.gpuMemory?.usedBytes,
            gpuMemoryTotalBytes: health.gpuMemory?.totalBytes)
    }
}
