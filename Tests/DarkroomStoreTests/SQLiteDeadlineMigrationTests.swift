import DarkroomCore
import Foundation
import GRDB
import Logging
import Testing

@testable import DarkroomStore

/// SQLite's 0008 rebuilds the jobs table (SQLite cannot change its checks in place): a database written before it
/// keeps its jobs, their webhook deliveries and the delivery trigger.
@Suite struct SQLiteDeadlineMigrationTests {
    @Test("a database from before deadlines keeps its jobs and deliveries, and expires jobs after the upgrade")
    func upgradeKeepsData() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("darkroom-upgrade-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("jobs.sqlite").path
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

        // The schema as it was, through 0007, with a finished job that has a delivery and a queued one.
        let requestJSON = try jsonText(GenerationRequest(prompt: "p", seed: 1))
        do {
            let queue = try DatabaseQueue(path: path)
            var migrator = DatabaseMigrator()
            for migration in try Migrations.load(driver: "SQLite") where migration.name < "0008" {
                migrator.registerMigration(migration.name) { db in try db.execute(sql: migration.sql) }
            }
            try migrator.migrate(queue)
            try await queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO jobs (id, tenant, priority, state, request, max_attempts, run_after,
                                          progress_steps, created_at, webhook_url, webhook_events)
                        VALUES ('old-done', 'default', 5, 'queued', ?, 3, 0, 8, 0, 'https://hooks.example.com/x',
                                '["job.succeeded"]'),
                               ('old-queued', 'default', 5, 'queued', ?, 3, 0, 8, 1, NULL, NULL)
                        """,
                    arguments: [requestJSON, requestJSON])
                try db.execute(
                    sql: "UPDATE jobs SET state = 'succeeded', finished_at = 2 WHERE id = 'old-done'")
            }
        }

        let store = try SQLiteJobStore(path: path, logger: logger)
        try await store.migrate()
        #expect(try await store.job(id: JobID(rawValue: "old-done"))?.state == .succeeded)
        #expect(try await store.webhookDeliveries(of: JobID(rawValue: "old-done")).map(\.event) == [.succeeded])
        #expect(try await store.job(id: JobID(rawValue: "old-queued"))?.deadline == nil)

        let subscribed = try await store.enqueue(
            EnqueueParams(
                id: JobID.generate(now: Date()), request: GenerationRequest(prompt: "p", seed: 1),
                webhook: WebhookSubscription(url: "https://hooks.example.com/y"),
                deadline: Date(timeIntervalSince1970: 100), now: Date(timeIntervalSince1970: 50)))
        let expired = try await store.expireOverdue(ExpireParams(now: Date(timeIntervalSince1970: 101)))
        #expect(expired.map(\.id) == [subscribed.id])
        #expect(try await store.webhookDeliveries(of: subscribed.id).map(\.event) == [.expired])
    }
}
