import Foundation
import Testing

/// Cancel over real HTTP: a queued job ends at once, a running one also frees its GPU slot at once.
@Suite(.serialized)
struct CancelTests {
    @Test("canceling a queued and a running job ends both canceled, and the running one frees its slot at once")
    func cancelQueuedAndRunning() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // A 1024×1024 job takes 120 s, so "before A's service was over" holds with minutes to spare on a loaded
        // machine; C (256×256, one step) takes under a second.
        let server = try await ServerProcess.start(
            dataDirectory: directory.url, options: ["--sim-gpus", "1", "--sim-seconds", "120"])
        defer { server.stop() }
        let api = server.api

        // A takes 120 s on the only slot; B waits behind it.
        let a = try await api.submitAccepted(JobRequestBody(prompt: "A"))
        let b = try await api.submitAccepted(JobRequestBody(prompt: "B"))
        let running = try await waitUntil(
            "A is running", reading: { try await api.job(a.id) }, until: { $0.state == "running" })
        #expect(try await api.job(b.id).state == "queued")

        let canceledB = try await api.cancel(b.id)
        #expect(canceledB.status == 200, "\(canceledB.text)")
        #expect(try canceledB.decode(JobJSON.self).state == "canceled")
        #expect(try await api.job(b.id).state == "canceled")

        let canceledA = try await api.cancel(a.id)
        #expect(canceledA.status == 200, "\(canceledA.text)")
        #expect(try canceledA.decode(JobJSON.self).state == "canceled")
        _ = try await waitUntil(
            "the queue shows no busy slot", reading: { try await api.queue() }, until: { $0.busySlots == 0 })

        let c = try await api.submitAccepted(JobRequestBody(prompt: "C", width: 256, height: 256, steps: 1))
        let startedC = try await waitUntil(
            "C starts", reading: { try await api.job(c.id) }, until: { ["running", "succeeded"].contains($0.state) })

        // Had A kept its slot, C could not have started before A's 120 s of service were over.
        let aStarted = try #require(apiDate(running.startedAt))
        let cStarted = try #require(apiDate(startedC.startedAt))
        #expect(cStarted < aStarted.addingTimeInterval(120), "C started \(cStarted.timeIntervalSince(aStarted)) s after A")

        let finalA = try await api.job(a.id)
        #expect(finalA.state == "canceled", "A stays canceled: \(finalA)")
        #expect(finalA.images.isEmpty)
        let again = try await api.cancel(a.id)
        #expect(again.status == 409, "canceling a finished job is a conflict: \(again.text)")
        #expect(try await api.waitForTerminal(c.id).state == "succeeded")
    }
}
