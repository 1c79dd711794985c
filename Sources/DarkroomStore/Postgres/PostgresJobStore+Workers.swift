import DarkroomCore
import Foundation
import PostgresNIO

extension PostgresJobStore {
    public func announceWorker(_ params: AnnounceWorkerParams) async throws {
        _ = try await perform { [self] in
            try await client.query(
                """
                INSERT INTO workers (id, slots, busy_slots, seen_at, backends)
                VALUES (\(params.workerID), \(params.capacity.slots), \(params.capacity.busySlots),
                        coalesce(\(params.now)::timestamptz, now()), \(try jsonText(params.backends)))
                ON CONFLICT (id) DO UPDATE SET slots = excluded.slots, busy_slots = excluded.busy_slots,
                                               seen_at = excluded.seen_at, backends = excluded.backends
                """, logger: logger)
        }
    }

    public func capacity(_ params: CapacityParams) async throws -> Capacity {
        try await perform { [self] in
            let rows = try await client.query(
                """
                SELECT coalesce(sum(slots), 0)::bigint, coalesce(sum(busy_slots), 0)::bigint,
                       count(*) FILTER (WHERE slots > 0)
                  FROM workers WHERE seen_at >= \(params.seenSince)
                """, logger: logger)
            for try await (slots, busy, workers) in rows.decode((Int, Int, Int).self) {
                return Capacity(slots: slots, busySlots: busy, workers: workers)
            }
            return Capacity(slots: 0, busySlots: 0)
        }
    }

    public func backends(_ params: CapacityParams) async throws -> [BackendStatus] {
        try await perform { [self] in
            let rows = try await client.query(
                "SELECT backends FROM workers WHERE seen_at >= \(params.seenSince) ORDER BY id", logger: logger)
            var statuses: [BackendStatus] = []
            for try await text in rows.decode(String.self) {
                statuses += try BackendStatus.decodeList(text)
            }
            return statuses
        }
    }
}
