import DarkroomCore
import Foundation
import GRDB
import Logging
import Testing

@testable import DarkroomStore

/// The SQLite driver's group commit: concurrent writes share a transaction, each in a savepoint of its own.
@Suite struct SQLiteGroupCommitTests {
    private struct Refused: Error {}

    @Test("of many concurrent writes, each that fails rolls back alone and every other commits")
    func failedWriteRollsBackAlone() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "darkroom-group-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteJobStore(
            path: directory.appendingPathComponent("jobs.sqlite").path, logger: Logger(label: "test"))
        try await store.migrate()
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<64 {
                group.addTask {
                    guard index.isMultiple(of: 2) else {
                        // Changes every job there is, then fails (reported as the store's error): none of it may stay.
                        let failed = await #expect(throws: JobStoreError.self) {
                            try await store.update { db in
                                try db.execute(sql: "UPDATE jobs SET priority = 9")
                                throw Refused()
                            }
                        }
                        return failed != nil
                    }
                    let id = JobID.generate(now: Date())
                    let job = try await store.enqueue(
                        EnqueueParams(id: id, request: GenerationRequest(prompt: "p", seed: 1)))
                    return job.id == id
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.count == 64 && outcomes.allSatisfy { $0 })
        let jobs = try await store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM jobs") }
        let changed = try await store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM jobs WHERE priority = 9")
        }
        #expect(jobs == 32)
        #expect(changed == 0)
    }
}
