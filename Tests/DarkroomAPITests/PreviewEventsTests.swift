import DarkroomAPI
import DarkroomCore
import DarkroomStore
import Foundation
import HummingbirdTesting
import Synchronization
import Testing

/// The `preview` events of a running job: made only while a stream watches it, carried as PNG `data:` URIs.
@Suite(.timeLimit(.minutes(5))) struct PreviewEventsTests {
    let fixture: APITestFixture

    init() async throws {
        fixture = try await APITestFixture()
    }

    struct PreviewBody: Decodable {
        var id: String
        var step: Int
        var steps: Int
        var image: String
    }

    @Test("a watched job's stream carries a preview after each step but the last, a PNG data URI that sharpens")
    func watchedJobSendsPreviews() async throws {
        let previews = CountingPreviewChannel()
        let store = ReadSignalingJobQueue(base: fixture.store)
        let pool = fixture.makeWorkerPool(previews: previews)
        try await fixture.makeApp(capacity: pool, store: store, previews: previews).test(.router) { client in
            let job = try await client.submitJob(#"{"prompt":"p","steps":6,"width":512,"height":768}"#)
            let stream = Task { try await client.get("/v1/jobs/\(job.id)/events") }
            for await read in store.reads where read.rawValue == job.id { break }
            _ = try await fixture.whileRunning(pool) { try await fixture.finished(job.id) }
            let events = StreamEvent.parse(try await stream.value.text)

            let shown = try events.filter { $0.event == "preview" }.map { event in
                try JSONDecoder().decode(PreviewBody.self, from: Data(event.data.utf8))
            }
            // The last step's preview would be the image itself, which the answer brings a moment later.
            #expect(shown.map(\.step) == Array(1...5))
            #expect(shown.allSatisfy { $0.id == job.id && $0.steps == 6 })
            #expect(shown.allSatisfy { $0.image.hasPrefix("data:image/png;base64,") })
            #expect(Set(shown.map(\.image)).count == 5, "each step's preview differs")
            // The noise fades, so the last preview compresses far better than the first.
            let (first, last) = (try #require(shown.first), try #require(shown.last))
            #expect(last.image.count < first.image.count)
            #expect(events.last?.event == "state")
            #expect(previews.published == 5)
        }
    }

    @Test("a job nobody watches makes no preview")
    func unwatchedJobMakesNone() async throws {
        let previews = CountingPreviewChannel()
        let pool = fixture.makeWorkerPool(previews: previews)
        try await fixture.makeApp(capacity: pool, previews: previews).test(.router) { client in
            let job = try await client.submitJob(#"{"prompt":"p","steps":6,"width":512,"height":512}"#)
            let finished = try await fixture.whileRunning(pool) { try await fixture.finished(job.id) }
            #expect(finished.state == .succeeded)
            #expect(previews.published == 0)
            #expect(previews.askedWhetherWatched == 5, "asked once a step but the last, and the answer was no")
        }
    }
}

/// A ``LocalPreviewChannel`` that counts what the worker asked and published.
final class CountingPreviewChannel: PreviewChannel {
    private let base = LocalPreviewChannel()
    private let counts = Mutex((asked: 0, published: 0))

    var published: Int { counts.withLock { $0.published } }
    var askedWhetherWatched: Int { counts.withLock { $0.asked } }

    func publish(_ preview: JobPreview) async {
        counts.withLock { $0.published += 1 }
        await base.publish(preview)
    }

    func isWatched(_ job: JobID, tenant: String) async -> Bool {
        counts.withLock { $0.asked += 1 }
        return await base.isWatched(job, tenant: tenant)
    }

    func discard(_ job: JobID) async {}

    func subscribe(
        _ watch: PreviewWatch, deliver: @escaping @Sendable (JobPreview) -> Void
    ) -> PreviewSubscription {
        base.subscribe(watch, deliver: deliver)
    }
}
