import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Every refused request is an RFC 9457 problem+json with a stable code, and refusing one leaves the server serving.
@Suite struct ProblemTests {
    let fixture: APITestFixture

    init() async throws {
        fixture = try await APITestFixture()
    }

    /// A request that must be refused, and how.
    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var body: String
        var status: HTTPResponse.Status
        var code: String
        var field: String?

        var testDescription: String { name }
    }

    static let badSubmits: [Refusal] = [
        Refusal(name: "malformed JSON", body: #"{"prompt":"#, status: .badRequest, code: "malformed_json"),
        Refusal(name: "not JSON at all", body: "prompt=hello", status: .badRequest, code: "malformed_json"),
        Refusal(
            name: "prompt of the wrong type", body: #"{"prompt":5}"#, status: .unprocessableContent,
            code: "invalid_type", field: "prompt"),
        Refusal(
            name: "width not a multiple of 16", body: #"{"prompt":"p","width":1000}"#, status: .unprocessableContent,
            code: "invalid_dimension", field: "width"),
        Refusal(
            name: "zero steps", body: #"{"prompt":"p","steps":0}"#, status: .unprocessableContent,
            code: "invalid_steps", field: "steps"),
        Refusal(
            name: "empty prompt", body: #"{"prompt":""}"#, status: .unprocessableContent, code: "prompt_empty",
            field: "prompt"),
        Refusal(
            name: "blank prompt", body: #"{"prompt":"   "}"#, status: .unprocessableContent, code: "prompt_empty",
            field: "prompt"),
        Refusal(
            name: "unknown field", body: #"{"prompt":"p","colour":"red"}"#, status: .unprocessableContent,
            code: "unknown_field", field: "colour"),
        Refusal(
            name: "unknown field inside a LoRA", body: #"{"prompt":"p","loras":[{"name":"x","weight":1}]}"#,
            status: .unprocessableContent, code: "unknown_field", field: "loras[0].weight"),
        Refusal(
            name: "prompt over 4,000 characters", body: #"{"prompt":"\#(String(repeating: "a", count: 4_001))"}"#,
            status: .unprocessableContent, code: "prompt_too_long", field: "prompt"),
        Refusal(
            name: "missing prompt", body: #"{"width":512}"#, status: .unprocessableContent, code: "missing_field",
            field: "prompt"),
        Refusal(
            name: "seed above 2³²−1", body: #"{"prompt":"p","seed":4294967296}"#, status: .unprocessableContent,
            code: "invalid_seed", field: "seed"),
        Refusal(
            name: "priority 10", body: #"{"prompt":"p","priority":10}"#, status: .unprocessableContent,
            code: "invalid_priority", field: "priority"),
        Refusal(
            name: "LoRA without a name", body: #"{"prompt":"p","loras":[{"name":" "}]}"#, status: .unprocessableContent,
            code: "invalid_lora", field: "loras[0]"),
    ]

    @Test(
        "a bad submit is a problem naming its code and field, enqueues nothing, and the next submit works",
        arguments: badSubmits)
    func badSubmitIsAProblem(_ refusal: Refusal) async throws {
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.submit(refusal.body)
            let problem = try response.expectProblem(refusal.status, code: refusal.code)
            #expect(problem.field == refusal.field)
            #expect(try await fixture.store.list(ListParams()).jobs.isEmpty)

            #expect(try await client.submit(#"{"prompt":"p"}"#).status == .accepted)
        }
    }

    @Test("a body over the limit is a 413 body_too_large, and the next submit works")
    func oversizedBodyIsRefused() async throws {
        try await fixture.makeApp().test(.router) { client in
            let prompt = String(repeating: "a", count: 2 << 20)
            let response = try await client.submit(#"{"prompt":"\#(prompt)"}"#)
            try response.expectProblem(.contentTooLarge, code: "body_too_large")
            #expect(try await fixture.store.list(ListParams()).jobs.isEmpty)

            #expect(try await client.submit(#"{"prompt":"p"}"#).status == .accepted)
        }
    }

    @Test("an unknown route is a 404 route_not_found problem")
    func unknownRoute() async throws {
        try await fixture.makeApp().test(.router) { client in
            _ = try await client.get("/v2/nothing").expectProblem(.notFound, code: "route_not_found")
        }
    }

    @Test("a method a route does not serve is a problem, not a bare error")
    func wrongMethod() async throws {
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.execute(uri: "/v1/jobs", method: .delete)
            #expect([.notFound, .methodNotAllowed].contains(response.status))
            #expect(response.mediaType == "application/problem+json")
        }
    }
}
