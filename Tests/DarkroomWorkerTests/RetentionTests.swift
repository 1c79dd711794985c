import DarkroomCore
import DarkroomStore
import DarkroomWorker
import Foundation
import MetricsTestKit
import Testing

/// The retention sweeper against a real store and image directory, on a clock the test sets.
struct RetentionTests {
    /// A job that finished (succeeded, with one image file on disk) at `finishedAt`.
    private func finishedJob(_ fixture: WorkerFixture, at finishedAt: Date, name: String) async throws -> Job {
        let created = finishedAt.addingTimeInterval(-60)
        let job = try await fixture.store.enqueue(
            EnqueueParams(
                id: JobID.generate(now: created), request: GenerationRequest(prompt: name, steps: 1, seed: 1),
                now: created))
        let claimed = try #require(
            try await fixture.store.claim(
                ClaimParams(owner: "test", backend: "sim-0", leaseDuration: .seconds(30), now: created)
            ).first { $0.id == job.id })
        let image = ImageResult(name: "\(name).png", width: 256, height: 256, seed: 1, sha256: "00")
        try fixture.images.write(Data("png \(name)".utf8), name: image.name)
        return try await fixture.store.complete(
            CompleteParams(lease: try #require(LeaseRef(claimed)), images: [image], now: finishedAt))
    }

    @Test("a sweep deletes the jobs and images older than the retention period, and nothing else")
    func sweep() async throws {
        let fixture = try await WorkerFixture()
        let now = Date(timeIntervalSince1970: 2_000_000_000)
        let day: TimeInterval = 24 * 3600
        let old = try await finishedJob(fixture, at: now.addingTimeInterval(-8 * day), name: "old")
        let edge = try await finishedJob(fixture, at: now.addingTimeInterval(-7 * day + 60), name: "edge")
        let recent = try await finishedJob(fixture, at: now.addingTimeInterval(-day), name: "recent")
        let queued = try await fixture.submit()
        let metrics = TestMetrics()
        let retention = Retention(
            store: fixture.store, images: fixture.images,
            configuration: .init(keepFinishedFor: .seconds(7 * day)), metricsFactory: metrics,
            logger: WorkerFixture.logger)

        #expect(try await retention.runOnce(now: now) == 1)
        #expect(try await fixture.store.job(id: old.id) == nil)
        #expect(fixture.images.read(name: "old.png") == nil, "the old job's image is gone with it")
        for kept in [edge, recent, queued] {
            #expect(try await fixture.store.job(id: kept.id) != nil, "\(kept.id) is younger than 7 days")
        }
        #expect(fixture.images.read(name: "edge.png") != nil)
        #expect(fixture.images.read(name: "recent.png") != nil)
        // After the sweep it publishes what the image directory holds: the two images left.
        #expect(try metrics.expectGauge(MetricNames.imageFiles).lastValue == 2)
        #expect(
            try metrics.expectGauge(MetricNames.imageBytes).lastValue
                == Double("png edge".utf8.count + "png recent".utf8.count))

        // Two minutes later the one that was 60 s inside the period has aged out; a second sweep takes it.
        #expect(try await retention.runOnce(now: now.addingTimeInterval(120)) == 1)
        #expect(try await fixture.store.job(id: edge.id) == nil)
        #expect(fixture.images.read(name: "edge.png") == nil)
        #expect(try await fixture.store.job(id: recent.id) != nil)
        #expect(try await retention.runOnce(now: now.addingTimeInterval(120)) == 0, "nothing left to delete")
    }
}
