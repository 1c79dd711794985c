import Foundation
import Testing

/// Signed webhooks from a real `darkroom serve` to a receiver written in Python that checks every signature
/// with its own HMAC code and fails twice before it accepts.
@Suite(.timeLimit(.minutes(5)))
struct WebhookDeliveryTests {
    /// One request as the receiver saw it.
    struct Received: Decodable {
        var id: String
        var timestamp: String
        var signatureValid: Bool
        var status: Int
        var type: String
        var jobId: String
        var jobState: String
    }

    struct Deliveries: Decodable {
        struct Delivery: Decodable {
            struct Attempt: Decodable {
                var attempt: Int
                var statusCode: Int?
            }

            var id: String
            var event: String
            var state: String
            var attempts: Int
            var attemptLog: [Attempt]
        }

        var deliveries: [Delivery]
    }

    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    @Test("a receiver that fails twice, then succeeds, gets one success; every attempt is signed and recorded")
    func retriedUntilDelivered() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let portFile = directory.url.appendingPathComponent("receiver.port").path
        async let receiver = RepositoryScript.run(
            ["python3", "Tests/IntegrationTests/Scripts/webhook_receiver.py", portFile, Self.secret, "2"],
            timeout: .seconds(300))
        let port = try await waitUntil("the receiver writes its port", timeout: .seconds(120), every: .milliseconds(20))
        {
            (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0) }
        }
        let server = try await ServerProcess.start(
            dataDirectory: directory.url.appendingPathComponent("data"),
            options: [
                "--sim-gpus", "1", "--sim-seconds", "0.2", "--webhook-secret", Self.secret, "--allow-private-webhooks",
                "--webhook-retry-seconds", "0.2",
            ])
        defer { server.stop() }

        let body = #"{"prompt":"a portrait","width":512,"height":512,"webhook_url":"http://127.0.0.1:\#(port)/hooks"}"#
        let submitted = try await server.api.post("/v1/jobs", raw: body)
        try #require(submitted.status == 202, "\(submitted.text)")
        let job = try submitted.decode(JobJSON.self)

        let (status, output) = try await receiver
        try #require(status == 0, "\(output)\n--- server log ---\n\(server.log)")
        let received = try output.split(separator: "\n").map {
            try JSONDecoder.api.decode(Received.self, from: Data($0.utf8))
        }
        #expect(received.map(\.status) == [500, 500, 204])
        #expect(received.allSatisfy { $0.signatureValid }, "\(output)")
        #expect(Set(received.map(\.id)).count == 1, "every attempt carries the same webhook-id")
        #expect(received.allSatisfy { $0.type == "job.succeeded" && $0.jobId == job.id && $0.jobState == "succeeded" })

        let deliveries = try await waitUntil(
            "the delivery is recorded as delivered",
            reading: { try await server.api.get("/v1/jobs/\(job.id)/deliveries").decode(Deliveries.self) },
            until: { $0.deliveries.first?.state == "delivered" })
        try #require(deliveries.deliveries.count == 1)
        let delivery = deliveries.deliveries[0]
        #expect(delivery.id == received[0].id)
        #expect(delivery.event == "job.succeeded")
        #expect(delivery.attempts == 3)
        #expect(delivery.attemptLog.map(\.statusCode) == [500, 500, 204])

        let metrics = try PrometheusText.parse(try await server.api.get("/metrics").text)
        let name = "darkroom_webhook_deliveries_total"
        #expect(PrometheusText.sum(metrics, name, matching: ["outcome": "retry"]) == 2)
        #expect(PrometheusText.sum(metrics, name, matching: ["outcome": "delivered"]) == 1)
        #expect(PrometheusText.sum(metrics, name, matching: ["outcome": "failed"]) == 0)
    }
}
