import Foundation
import NIOCore

/// The calls the fairness scenario makes, each with a tenant's key.
struct FairnessAPI: Sendable {
    /// A job as the scenario reads it back.
    struct JobRecord: Sendable {
        var id: String
        var state: String
        var created: Date
        var started: Date?
        var finished: Date?

        /// Its run on a GPU, once finished.
        var run: ClosedRange<Date>? {
            guard let started, let finished, started <= finished else { return nil }
            return started...finished
        }
    }

    /// An answer the scenario cannot go on from.
    struct Refused: Error, CustomStringConvertible {
        var description: String
    }

    let http: BenchHTTP
    private let timeout = Duration.seconds(60)

    /// Submits every tenant's jobs at once: in turns across the tenants, up to 32 requests in flight.
    func submitInterleaved(_ loads: [(name: String, key: String, jobs: Int)], body: Data) async throws {
        let turns = (0..<(loads.map(\.jobs).max() ?? 0)).flatMap { index in
            loads.filter { index < $0.jobs }.map(\.key)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, key) in turns.enumerated() {
                if index >= 32 { try await group.next() }
                group.addTask { _ = try await submit(key: key, body: body) }
            }
            try await group.waitForAll()
        }
    }

    /// Submits one job with `key`; its id.
    func submit(key: String, body: Data) async throws -> String {
        let answer = try await http.post("/v1/jobs", json: body, headers: [Self.bearer(key)], timeout: timeout)
        guard answer.status == 202, let id = try Self.object(answer)["id"] as? String else {
            throw Refused(
                description:
                    "POST /v1/jobs answered \(answer.status): \(String(decoding: answer.body.readableBytesView, as: UTF8.self))"
            )
        }
        return id
    }

    /// Waits until every job of every key's tenant has ended; each key's jobs.
    func waitUntilFinished(keys: [String]) async throws -> [String: [JobRecord]] {
        while true {
            var jobs: [String: [JobRecord]] = [:]
            for key in keys { jobs[key] = try await list(key: key) }
            if jobs.values.allSatisfy({ $0.allSatisfy { Self.terminal.contains($0.state) } }) { return jobs }
            try await Task.sleep(for: .seconds(1))
        }
    }

    private static let terminal: Set<String> = ["succeeded", "failed", "canceled", "expired"]

    /// The tenant's jobs (the scenario's tenants have at most 500).
    private func list(key: String) async throws -> [JobRecord] {
        let answer = try await http.get("/v1/jobs?limit=500", headers: [Self.bearer(key)], timeout: timeout)
        guard answer.status == 200, let jobs = try Self.object(answer)["jobs"] as? [[String: Any]] else {
            throw Refused(
                description:
                    "GET /v1/jobs answered \(answer.status): \(String(decoding: answer.body.readableBytesView, as: UTF8.self))"
            )
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let date = { (field: String, job: [String: Any]) in (job[field] as? String).flatMap(formatter.date(from:)) }
        return jobs.compactMap { job in
            guard let id = job["id"] as? String, let state = job["state"] as? String,
                let created = date("created_at", job)
            else { return nil }
            return JobRecord(
                id: id, state: state, created: created, started: date("started_at", job),
                finished: date("finished_at", job))
        }
    }

    private static func bearer(_ key: String) -> (String, String) { ("Authorization", "Bearer \(key)") }

    private static func object(_ answer: BenchHTTP.Answer) throws -> [String: Any] {
        (try JSONSerialization.jsonObject(with: Data(answer.body.readableBytesView)) as? [String: Any]) ?? [:]
    }
}
