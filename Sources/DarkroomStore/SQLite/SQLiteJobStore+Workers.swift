import DarkroomCore
import Foundation
import GRDB

extension SQLiteJobStore {
    public func announceWorker(_ params: AnnounceWorkerParams) async throws {
        _ = try await write(publishing: false) { db in
            try db.execute(
                sql: """
                    INSERT INTO workers (id, slots, busy_slots, seen_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET slots = excluded.slots, busy_slots = excluded.busy_slots,
                                                   seen_at = excluded.seen_at
                    """,
                arguments: [
                    params.workerID, params.capacity.slots, params.capacity.busySlots, params.now.unixSecondsOrNow,
                ])
            return []
        }
    }

    public func capacity(_ params: CapacityParams) async throws -> Capacity {
        let since = params.seenSince.timeIntervalSince1970
        return try await read { db in
            let row = try Row.fetchOne(
                db,
                sql: "SELECT coalesce(sum(slots), 0) AS slots, coalesce(sum(busy_slots), 0) AS busy FROM workers WHERE seen_at >= ?",
                arguments: [since])
            return Capacity(slots: row?["slots"] ?? 0, busySlots: row?["busy"] ?? 0)
        }
    }
}
