import DarkroomCore
import Foundation

/// Which worker processes are alive and what their GPU slots and backends are doing, as each last announced it.
///
/// Contract every conformer keeps (the worker registry conformance suite tests each sentence):
/// - `announceWorker` inserts or replaces the worker's one announcement.
/// - `capacity` sums the latest announcement of each worker seen since the cut-off; older ones are ignored.
/// - `backends` lists the backends of those same workers.
public protocol WorkerRegistry: Sendable {
    /// Records that a worker process is alive with this capacity (insert or update).
    func announceWorker(_ params: AnnounceWorkerParams) async throws
    /// The slots and busy slots of every worker seen since `params.seenSince`, summed.
    func capacity(_ params: CapacityParams) async throws -> Capacity
    /// The backends every worker seen since `params.seenSince` last announced.
    func backends(_ params: CapacityParams) async throws -> [BackendStatus]
}
