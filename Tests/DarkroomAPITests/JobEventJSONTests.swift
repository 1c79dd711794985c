import Foundation
import OpenAPIRuntime
import Testing

@testable import DarkroomAPI

/// A `state` event's job, written field by field, reads back as the job that `JSONEncoder` would have written,
/// every optional field present or not, strings with everything JSON must escape.
@Suite struct JobEventJSONTests {
    /// Reads timestamps as the API writes them.
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            try MillisecondTimestamps().decode(try decoder.singleValueContainer().decode(String.self))
        }
        return decoder
    }()

    /// Instants a millisecond timestamp holds exactly.
    static func instant(_ seconds: Double) -> Date { Date(timeIntervalSince1970: 1_796_688_600 + seconds) }

    static let request = Components.Schemas.GenerationParameters(
        prompt: "a \"studio\" portrait\nsoft light\t\\ / ✨ \u{01}", negativePrompt: "", width: 832, height: 1216,
        steps: 8, seed: 9_007_199_254_740_993, cfgScale: 1.0, sampler: "Euler", model: "z-image-turbo",
        loras: [.init(name: "AWPortrait-Z", strength: 0.7), .init(name: "no-strength")], batchSize: 1)

    static let jobs: [Components.Schemas.Job] = [
        // Queued, as a stream first sees it: the fewest fields.
        Components.Schemas.Job(
            id: "job_1", state: .queued, priority: 0, request: request, progress: .init(step: 0, steps: 8),
            attempt: 0, maxAttempts: 3, position: 4, estimatedWaitSeconds: 2.5, createdAt: instant(0.5), images: []),
        // Everything there: a job that failed after images, with metadata, webhooks, a deadline and a prediction.
        Components.Schemas.Job(
            id: "job_2", state: .failed, priority: -3, request: request, progress: .init(step: 8, steps: 8),
            attempt: 2, maxAttempts: 2, backend: "a1111@gpu1:7860", position: 0, estimatedWaitSeconds: 1e-05,
            estimatedStartAt: instant(1.25), estimatedFinishAt: instant(2.125), createdAt: instant(0),
            startedAt: instant(1.5), finishedAt: instant(3.75),
            images: [
                .init(
                    url: "/v1/images/job_2-0.png", width: 832, height: 1216, seed: -1,
                    sha256: String(repeating: "ab", count: 32))
            ],
            error: .init(code: "backend_unavailable", message: "the server said \"no\"\r\n"),
            metadata: .init(
                additionalProperties: try! OpenAPIObjectContainer(unvalidatedValue: ["user": "ana", "n": 3])),
            webhookUrl: "https://example.com/hook?a=1&b=2", webhookEvents: [.job_succeeded, .job_failed],
            deadlineAt: instant(60)),
    ]

    @Test("every job reads back equal to itself, and to what JSONEncoder wrote")
    func readsBack() throws {
        for job in Self.jobs {
            let written = job.eventJSON
            let fromEncoder = try DarkroomHTTP.jsonEncoder.encode(job)
            #expect(try Self.decoder.decode(Components.Schemas.Job.self, from: Data(written.utf8)) == job)
            #expect(
                try Self.decoder.decode(Components.Schemas.Job.self, from: Data(written.utf8))
                    == Self.decoder.decode(Components.Schemas.Job.self, from: fromEncoder))
        }
    }

    @Test("the same keys as JSONEncoder writes, at every level, in one line that starts with the first key")
    func sameKeys() throws {
        for job in Self.jobs {
            let ours = try #require(try JSONSerialization.jsonObject(with: Data(job.eventJSON.utf8)) as? [String: Any])
            let theirs = try #require(
                try JSONSerialization.jsonObject(with: DarkroomHTTP.jsonEncoder.encode(job)) as? [String: Any])
            #expect(Self.keyPaths(ours) == Self.keyPaths(theirs))
            #expect(job.eventJSON.hasPrefix(#"{"attempt":"#))
            #expect(!job.eventJSON.contains("\n"), "one data line per event")
        }
    }

    @Test("a wait that is not a number is left out rather than written as invalid JSON")
    func nonFiniteWait() throws {
        var job = Self.jobs[0]
        job.estimatedWaitSeconds = .infinity
        let read = try Self.decoder.decode(Components.Schemas.Job.self, from: Data(job.eventJSON.utf8))
        #expect(read.estimatedWaitSeconds == nil)
        #expect(read.position == 4)
    }

    /// Every key path of a JSON value, as `a.b`, sorted.
    static func keyPaths(_ value: Any, prefix: String = "") -> [String] {
        if let object = value as? [String: Any] {
            return object.keys.sorted().flatMap { [prefix + $0] + keyPaths(object[$0]!, prefix: prefix + $0 + ".") }
        }
        if let array = value as? [Any] {
            return array.enumerated().flatMap { keyPaths($1, prefix: prefix + "\($0).") }
        }
        return []
    }
}
