import DarkroomCore
import Foundation

extension InstrumentedStore: WorkerRegistry {
    public func announceWorker(_ params: AnnounceWorkerParams) async throws {
        try await timed(.announceWorker) { try await base.announceWorker(params) }
    }
    public func capacity(_ params: CapacityParams) async throws -> Capacity {
        try await timed(.capacity) { try await base.capacity(params) }
    }
    public func backends(_ params: CapacityParams) async throws -> [BackendStatus] {
        try await timed(.backends) { try await base.backends(params) }
    }
}
