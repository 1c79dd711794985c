import DarkroomCore
import DarkroomStore
import Foundation
import Logging
import Testing

/// Behaviour specific to the SQLite driver; the shared behaviour is in the conformance suite.
@Suite struct SQLiteJobStoreTests {
    @Test("a reopened database keeps its jobs and migrating again changes nothing")
    func reopenKeepsJobs() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-reopen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("jobs.sqlite").path
        let logger = Logger(label: "test")
        let id = JobID.generate(now: Date())
        do {
            let store = try SQLiteJobStore(path: path, logger: logger)
            try await store.migrate()
            _ = try await store.enqueue(EnqueueParams(id: id, request: GenerationRequest(prompt: "p", seed: 3)))
        }
        let reopened = try SQLiteJobStore(path: path, logger: logger)
        try await reopened.migrate()
        let job = try #require(try await reopened.job(id: id))
        #expect(job.state == .queued)
        #expect(job.request.seed == 3)
    }

    @Test("an unopenable path is reported as the store being unavailable")
    func unopenable() {
        #expect(throws: JobStoreError.self) {
            try SQLiteJobStore(path: "/proc/darkroom/cannot/exist.sqlite", logger: Logger(label: "test"))
        }
    }
}
