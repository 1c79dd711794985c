import DarkroomCore
import DarkroomStore
import DarkroomWorker
import Foundation
import MetricsTestKit
import Testing

/// The retention sweep's strays: temporary files of unfinished writes and images no job refers to go once they are
/// older than the grace; images of live jobs, of jobs that list them, and anything younger stay.
struct StraySweepTests {
    let hour: TimeInterval = 3600

    /// Writes `name` into the directory, last modified at `modified`.
    private func file(_ fixture: WorkerFixture, _ name: String, modified: Date) throws {
        let url = fixture.images.url.appendingPathComponent(name)
        try Data("bytes of \(name)".utf8).write(to: url)
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: url.path)
    }

    private func exists(_ fixture: WorkerFixture, _ name: String) -> Bool {
        FileManager.default.fileExists(atPath: fixture.images.url.appendingPathComponent(name).path)
    }

    @Test("old temporaries and orphaned images are removed and counted; everything a job may read stays")
    func sweepsStrays() async throws {
        let fixture = try await WorkerFixture()
        let now = Date()
        let old = now.addingTimeInterval(-2 * hour)
        let canceled = try await fixture.submit()
        _ = try await fixture.store.cancel(CancelParams(id: canceled.id))
        let queued = try await fixture.submit(seed: 8)
        let missing = JobID.generate(now: old)
        try file(fixture, ".dat.nosync1A2B.x8Yz", modified: old)
        try file(fixture, ".dat.nosync3C4D.q1Wx", modified: now)
        try file(fixture, ImageDirectory.name(jobID: missing, index: 0), modified: old)
        try file(fixture, ImageDirectory.name(jobID: canceled.id, index: 0), modified: old)
        try file(fixture, ImageDirectory.name(jobID: queued.id, index: 0), modified: old)
        try file(fixture, ImageDirectory.name(jobID: missing, index: 1), modified: now)
        try file(fixture, "not-darkroom.png", modified: old)
        let metrics = TestMetrics()
        let retention = Retention(
            store: fixture.store, images: fixture.images, metricsFactory: metrics, logger: WorkerFixture.logger)

        _ = try await retention.runOnce(now: now)
        #expect(!exists(fixture, ".dat.nosync1A2B.x8Yz"), "an hour-old temporary is removed")
        #expect(exists(fixture, ".dat.nosync3C4D.q1Wx"), "a write in progress is not")
        #expect(!exists(fixture, ImageDirectory.name(jobID: missing, index: 0)), "no job: an orphan")
        #expect(!exists(fixture, ImageDirectory.name(jobID: canceled.id, index: 0)), "its job ended without it")
        #expect(exists(fixture, ImageDirectory.name(jobID: queued.id, index: 0)), "its job may yet record it")
        #expect(exists(fixture, ImageDirectory.name(jobID: missing, index: 1)), "younger than the grace")
        #expect(exists(fixture, "not-darkroom.png"), "a name Darkroom did not make is left alone")
        let removed = try metrics.expectCounter(MetricNames.strayFilesRemoved, [("kind", "orphan")]).totalValue
        #expect(removed == 2)
        #expect(try metrics.expectCounter(MetricNames.strayFilesRemoved, [("kind", "temporary")]).totalValue == 1)

        // Two hours on, the young orphan has passed the grace; the queued job's image is looked at again and,
        // once its job has ended without it, goes too.
        _ = try await fixture.store.cancel(CancelParams(id: queued.id))
        _ = try await retention.runOnce(now: now.addingTimeInterval(2 * hour))
        #expect(!exists(fixture, ImageDirectory.name(jobID: missing, index: 1)))
        #expect(!exists(fixture, ImageDirectory.name(jobID: queued.id, index: 0)))
        #expect(exists(fixture, "not-darkroom.png"))
    }

    @Test("an image its succeeded job lists is never a stray")
    func keepsRecordedImages() async throws {
        let fixture = try await WorkerFixture()
        let now = Date()
        let job = try await fixture.submit()
        let claimed = try #require(
            try await fixture.store.claim(ClaimParams(owner: "t", backend: "sim-0", leaseDuration: .seconds(30))).first)
        let name = ImageDirectory.name(jobID: job.id, index: 0)
        let image = ImageResult(name: name, width: 256, height: 256, seed: 1, sha256: "00")
        _ = try await fixture.store.complete(CompleteParams(lease: try #require(LeaseRef(claimed)), images: [image]))
        try file(fixture, name, modified: now.addingTimeInterval(-3 * hour))
        try file(fixture, ImageDirectory.name(jobID: job.id, index: 1), modified: now.addingTimeInterval(-3 * hour))
        let retention = Retention(
            store: fixture.store, images: fixture.images, metricsFactory: TestMetrics(), logger: WorkerFixture.logger)

        _ = try await retention.runOnce(now: now)
        #expect(exists(fixture, name))
        #expect(!exists(fixture, ImageDirectory.name(jobID: job.id, index: 1)), "an index the job did not record")
    }
}
