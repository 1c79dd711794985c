import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import DarkroomAPI

/// The submit contract that makes client retries and synchronous calls safe: `Idempotency-Key` and
/// `Prefer: wait=N`.
@Suite struct ClientContractTests {
    let fixture: APITestFixture

    init() async throws {
        fixture = try await APITestFixture()
    }

    static let body = #"{"prompt":"a portrait of Ada","steps":8}"#

    @Test("a repeat with the same Idempotency-Key and body answers 200 with the first job; no new job is made")
    func idempotentRepeat() async throws {
        try await fixture.makeApp().test(.router) { client in
            let first = try await client.submit(Self.body, headers: [.idempotencyKey: "order-17"])
            #expect(first.status == .accepted)
            // The same request with other spacing and key order is the same request.
            let again = try await client.submit(
                #"{ "steps": 8, "prompt": "a portrait of Ada" }"#, headers: [.idempotencyKey: "order-17"])
            #expect(again.status == .ok)
            #expect(try again.decode(JobBody.self).id == first.decode(JobBody.self).id)
            #expect(again.headers[.location] == first.headers[.location])
            let other = try await client.submit(Self.body, headers: [.idempotencyKey: "order-18"])
            #expect(other.status == .accepted)
            #expect(try other.decode(JobBody.self).id != first.decode(JobBody.self).id)
        }
        #expect(try await fixture.store.list(ListParams()).jobs.count == 2)
    }

    @Test("the same Idempotency-Key with another body is 422 idempotency_key_reused; a malformed key is 422")
    func idempotencyKeyReused() async throws {
        try await fixture.makeApp().test(.router) { client in
            _ = try await client.submit(Self.body, headers: [.idempotencyKey: "order-17"])
            let reused = try await client.submit(#"{"prompt":"someone else"}"#, headers: [.idempotencyKey: "order-17"])
            let problem = try reused.expectProblem(.unprocessableContent, code: "idempotency_key_reused")
            #expect(problem.field == "Idempotency-Key")
            let malformed = try await client.submit(Self.body, headers: [.idempotencyKey: "has spaces"])
            try malformed.expectProblem(.unprocessableContent, code: "invalid_parameter")
        }
        #expect(try await fixture.store.list(ListParams()).jobs.count == 1)
    }

    @Test("many concurrent identical submits with one Idempotency-Key create exactly one job")
    func concurrentRepeats() async throws {
        try await fixture.makeApp().test(.router) { client in
            let answers = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String).self) { group in
                for _ in 0..<32 {
                    group.addTask {
                        let response = try await client.submit(Self.body, headers: [.idempotencyKey: "burst"])
                        return (response.status, try response.decode(JobBody.self).id)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(answers.map(\.1)).count == 1)
            #expect(answers.filter { $0.0 == .accepted }.count == 1)
            #expect(answers.filter { $0.0 == .ok }.count == 31)
        }
        #expect(try await fixture.store.list(ListParams()).jobs.count == 1)
    }

    @Test("Prefer: wait=N answers 200 with the finished job when it finishes in time")
    func preferWaitFinished() async throws {
        let pool = fixture.makeWorkerPool()
        try await fixture.whileRunning(pool) {
            try await fixture.makeApp(capacity: pool).test(.router) { client in
                // The longest wait a client may ask for: a hang guard, not a speed test. With wait=30 a 0.05 s job
                // on a machine loaded by stress-ng and a parallel build was still running when the wait ended.
                let response = try await client.submit(Self.body, headers: [.prefer: "respond-async, wait=300"])
                #expect(response.status == .ok)
                #expect(response.headers[.preferenceApplied] == "wait=300")
                let job = try response.decode(JobBody.self)
                #expect(job.state == "succeeded")
                #expect(job.images.count == 1)
            }
        }
    }

    @Test("Prefer: wait=N answers the usual 202 when the job is not done within N seconds")
    func preferWaitTimesOut() async throws {
        // No worker: the job stays queued.
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.submit(Self.body, headers: [.prefer: "wait=1"])
            #expect(response.status == .accepted)
            #expect(response.headers[.preferenceApplied] == "wait=1")
            #expect(try response.decode(JobBody.self).state == "queued")
        }
    }

    @Test("the wait preference: N from the header, at most 300 s; other or malformed preferences ask for none")
    func waitPreferenceParsing() {
        #expect(WaitPreference(header: "wait=10")?.seconds == 10)
        #expect(WaitPreference(header: "respond-async, wait=5")?.seconds == 5)
        #expect(WaitPreference(header: "Wait = 7; x=1")?.seconds == 7)
        #expect(WaitPreference(header: "wait=1000")?.seconds == 300)
        #expect(WaitPreference(header: "wait=soon")?.seconds == nil)
        #expect(WaitPreference(header: "handling=lenient")?.seconds == nil)
        #expect(WaitPreference(header: nil)?.seconds == nil)
        // Empty pieces and bare parameters are no preference, never a crash.
        #expect(WaitPreference(header: ";")?.seconds == nil)
        #expect(WaitPreference(header: "respond-async,;, ,wait=3")?.seconds == 3)
    }
}

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
    static let prefer = Self("Prefer")!
    static let preferenceApplied = Self("Preference-Applied")!
}
