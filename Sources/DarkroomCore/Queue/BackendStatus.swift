/// Where a backend's circuit breaker stands (nginx semantics: `max_fails` within `fail_timeout` opens it).
public enum BreakerState: String, Sendable, Codable, CaseIterable {
    /// Jobs flow normally.
    case closed
    /// Too many recent failures: no jobs until `fail_timeout` has passed.
    case open
    /// The timeout passed; one health probe decides whether it closes or opens again.
    case halfOpen = "half_open"

    /// The value exported as the `darkroom_backend_breaker_state` gauge: 0 closed, 1 half-open, 2 open.
    public var gaugeValue: Int {
        switch self {
        case .closed: 0
        case .halfOpen: 1
        case .open: 2
        }
    }
}

/// One backend as its worker last announced it: what `/v1/queue` lists under `backends`.
public struct BackendStatus: Sendable, Equatable, Codable {
    /// The backend's id (`sim-0`, `a1111-0`, …), unique within its worker.
    public var id: String
    /// The worker process that drives it.
    public var worker: String
    /// `sim`, `a1111`, `comfyui`.
    public var kind: String
    public var breaker: BreakerState
    public var slots: Int
    public var busySlots: Int
    /// Whether the last health check reached the server.
    public var reachable: Bool
    /// The ``ModelAffinity`` key of what it ran last, if known.
    public var loaded: String?
    public var gpuMemoryUsedBytes: Int64?
    public var gpuMemoryTotalBytes: Int64?

    public init(
        id: String, worker: String, kind: String, breaker: BreakerState, slots: Int, busySlots: Int,
        reachable: Bool = true, loaded: String? = nil, gpuMemoryUsedBytes: Int64? = nil,
        gpuMemoryTotalBytes: Int64? = nil
    ) {
        self.id = id
        self.worker = worker
        self.kind = kind
        self.breaker = breaker
        self.slots = slots
        self.busySlots = busySlots
        self.reachable = reachable
        self.loaded = loaded
        self.gpuMemoryUsedBytes = gpuMemoryUsedBytes
        self.gpuMemoryTotalBytes = gpuMemoryTotalBytes
    }

    enum CodingKeys: String, CodingKey {
        case id, worker, kind, breaker, slots, reachable, loaded
        case busySlots = "busy_slots"
        case gpuMemoryUsedBytes = "gpu_memory_used_bytes"
        case gpuMemoryTotalBytes = "gpu_memory_total_bytes"
    }
}

extension Sequence<BackendStatus> {
    /// GPU memory summed over the backends that report it, or `nil` when none does.
    public var gpuMemoryTotals: (usedBytes: Int64, totalBytes: Int64)? {
        var used: Int64 = 0
        var total: Int64 = 0
        for backend in self {
            guard let backendUsed = backend.gpuMemoryUsedBytes, let backendTotal = backend.gpuMemoryTotalBytes,
                backendTotal > 0
            else { continue }
            // Saturating: a server reporting absurd figures must not crash whoever reads them.
            let (newUsed, usedOverflow) = used.addingReportingOverflow(Swift.max(0, backendUsed))
            let (newTotal, totalOverflow) = total.addingReportingOverflow(backendTotal)
            used = usedOverflow ? .max : newUsed
            total = totalOverflow ? .max : newTotal
        }
        return total > 0 ? (used, total) : nil
    }
}
