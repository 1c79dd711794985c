import DarkroomCore

extension Components.Schemas.BackendStatus {
    /// The wire form of a backend's announced status.
    init(_ status: BackendStatus) {
        self.init(
            id: status.id, worker: status.worker, kind: status.kind,
            breaker: Components.Schemas.BackendStatus.BreakerPayload(rawValue: status.breaker.rawValue) ?? .open,
            slots: status.slots, busySlots: status.busySlots, reachable: status.reachable, loaded: status.loaded,
            gpuMemoryUsedBytes: status.gpuMemoryUsedBytes, gpuMemoryTotalBytes: status.gpuMemoryTotalBytes)
    }
}
