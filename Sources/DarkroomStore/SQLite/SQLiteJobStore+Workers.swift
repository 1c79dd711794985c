import DarkroomCore
import Foundation
import GRDB

extension SQLiteJobStore {
    public func announceWorker(_ params: AnnounceWorkerParams) async throws {
        try await update { db in
            try db.execute(
                sql: """
                    INSERT INTO workers (id, slots, busy_slots, seen_at, backends) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET slots = excluded.slots, busy_slots = excluded.busy_slots,
                                                   seen_at = excluded.seen_at, backends = excluded.backends
                    """,
                arguments: [
                    params.workerID, params.capacity.slots, params.capacity.busySlots, params.now.unixSecondsOrNow,
                    try jsonText(params.backends),
                ])
        }
    }

    public func capacity(_ params: CapacityParams) async throws -> Capacity {
        let since = params.seenSince.timeIntervalSince1970
        return try await read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT coalesce(sum(slots), 0) AS slots, coalesce(sum(busy_slots), 0) AS busy,
                           count(*) FILTER (WHERE slots > 0) AS workers
                      FROM workers WHERE seen_at >= ?
                    """,
                arguments: [since])
            return Capacity(slots: row?["slots"] ?? 0, busySlots: row?["busy"] ?? 0, workers: row?["workers"] ?? 0)
        }
    }

    public func backends(_ params: CapacityParams) async throws -> [BackendStatus] {
        let since = params.seenSince.timeIntervalSince1970
        let texts = try await read { db in
            try String.fetchAll(
                db, sql: "SELECT backends FROM workers WHERE seen_at >= ? ORDER BY id", arguments: [since])
        }
        return try texts.flatMap { try BackendStatus.decodeList($0) }
    }
}
