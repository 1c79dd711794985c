import DarkroomCore
import Foundation
import PostgresNIO

extension PostgresJobStore {
    public func announceWorker(_ params: AnnounceWorkerParams) async throws {
        _ = try await perform { [self] in
            try await client.query(
                """
                INSERT INTO workers (id, slots, busy_slots, seen_at)
                VALUES (\(params.workerID), \(params.capacity.slots), \(params.capacity.busySlots),
                        coalesce(\(params.now)::timestamptz, now()))
                ON CONFLICT (id) DO UPDATE SET slots = excluded.slots, busy_slots = excluded.busy_slots,
                                               seen_at = excluded.seen_at
                """, logger: logger)
        }
    }

    public func capacity(_ params: CapacityParams) async throws -> Capacity {
        try await perform { [self] in
            let rows = try await client.query(
                """
                SELECT coalesce(sum(slots), 0)::bigint, coalesce(sum(busy_slots), 0)::bigint
                  FROM workers WHERE seen_at >= \(params.seenSince)
                """, logger: logger)
            for try await (slots, busy) in rows.decode((Int, Int).self) {
                return Capacity(slots: slots, busySlots: busy)
            }
            return Capacity(slots: 0, busySlots: 0)
        }
    }
}
