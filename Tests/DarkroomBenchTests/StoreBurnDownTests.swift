import DarkroomBench
import DarkroomCore
import DarkroomStore
import Foundation
import Logging
import Testing

@Suite(.timeLimit(.minutes(5))) struct StoreBurnDownTests {
    @Test("the burn-down inserts the jobs and drains every one of them exactly once")
    func drainsEverything() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await Self.store(in: directory)
        let result = try await StoreBurnDown(jobs: 57, consumers: 3, batch: 4, inserters: 2).run(on: store)
        #expect(result.jobs == 57 && result.drained == 57)
        #expect(result.burnDownRate > 0 && result.insertRate > 0)
        let stats = try await store.stats(StatsParams(recentSince: .distantPast))
        #expect(stats.count(.succeeded) == 57)
        #expect(stats.count(.queued) == 0 && stats.count(.running) == 0)
    }

    @Test("with --drain, the consumers complete exactly that many jobs and leave the rest queued")
    func drainsALimit() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await Self.store(in: directory)
        let result = try await StoreBurnDown(jobs: 60, consumers: 3, batch: 4, inserters: 2, tenants: 5, drain: 25)
            .run(on: store)
        #expect(result.jobs == 60 && result.drained == 25)
        #expect(result.claims >= 7, "25 jobs at most 4 a claim")
        let stats = try await store.stats(StatsParams(recentSince: .distantPast))
        #expect(stats.count(.succeeded) == 25)
        #expect(stats.count(.queued) == 35 && stats.count(.running) == 0)
    }

    @Test("a store holding queued jobs is refused before anything is written")
    func refusesAStoreWithQueuedJobs() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await Self.store(in: directory)
        _ = try await store.enqueue(
            EnqueueParams(id: JobID.generate(now: Date()), request: GenerationRequest(prompt: "left over", seed: 1)))
        let refusal = await #expect(throws: StoreBurnDown.Incomplete.self) {
            try await StoreBurnDown(jobs: 5, consumers: 2, batch: 2, inserters: 1).run(on: store)
        }
        #expect(refusal?.found == 1)
        let stats = try await store.stats(StatsParams(recentSince: .distantPast))
        #expect(stats.count(.queued) == 1 && stats.count(.succeeded) == 0, "nothing inserted or drained")
    }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("darkroom-burn-down-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// A migrated, empty SQLite store in `directory`.
    static func store(in directory: URL) async throws -> SQLiteJobStore {
        let store = try SQLiteJobStore(
            path: directory.appendingPathComponent("jobs.sqlite").path,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await store.migrate()
        return store
    }
}
