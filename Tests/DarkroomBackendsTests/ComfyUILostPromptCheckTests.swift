import DarkroomWire
import Foundation
import Testing

@testable import DarkroomBackends

@Suite struct ComfyUILostPromptCheckTests {
    static let queue = #"""
        {"queue_running": [[7, "running-1", {"9": {"class_type": "KSampler", "inputs": {}}}, {"client_id": "c"}, ["11"]]],
         "queue_pending": [[8, "pending-1", {}, {}, ["11"]], [9, "pending-2", {}, {}, ["11"]]]}
        """#

    @Test("the queue is checked on every fifth pending poll")
    func interval() {
        var check = ComfyUILostPromptCheck()
        let due = (1...12).map { _ in check.recordPending() }
        #expect(due == [false, false, false, false, true, false, false, false, false, true, false, false])
        var everyPoll = ComfyUILostPromptCheck(checkInterval: 0)
        #expect(everyPoll.recordPending() && everyPoll.recordPending())
    }

    @Test("a prompt running or pending is queued; any other id is not")
    func isQueued() throws {
        let queue = try BackendTestFixtures.json(Self.queue)
        #expect(try ComfyUILostPromptCheck.isQueued("running-1", in: queue))
        #expect(try ComfyUILostPromptCheck.isQueued("pending-2", in: queue))
        #expect(try !ComfyUILostPromptCheck.isQueued("gone", in: queue))
        let empty = try BackendTestFixtures.json(#"{"queue_running": [], "queue_pending": []}"#)
        #expect(try !ComfyUILostPromptCheck.isQueued("gone", in: empty))
    }

    @Test("a /queue answer without both lists is a bad response")
    func badQueue() throws {
        for body in [#"{"queue_running": []}"#, #"[]"#] {
            #expect(throws: BackendError.self) {
                try ComfyUILostPromptCheck.isQueued("p1", in: BackendTestFixtures.json(body))
            }
        }
        #expect(throws: BackendError.self) { try ComfyUILostPromptCheck.isQueued("p1", in: nil) }
    }

    @Test("queued keeps polling; gone from queue and history is lost; finished in between is its outcome")
    func verdict() {
        let done = ComfyUIHistory.Outcome.succeeded(outputs: [:])
        #expect(ComfyUILostPromptCheck.verdict(isQueued: true, recheck: nil) == .keepPolling)
        #expect(ComfyUILostPromptCheck.verdict(isQueued: true, recheck: .pending) == .keepPolling)
        #expect(ComfyUILostPromptCheck.verdict(isQueued: false, recheck: .pending) == .lost)
        #expect(ComfyUILostPromptCheck.verdict(isQueued: false, recheck: done) == .finished(done))
        #expect(
            ComfyUILostPromptCheck.verdict(isQueued: false, recheck: .failed(.outOfMemory))
                == .finished(.failed(.outOfMemory)))
    }

    @Test(
        "a prompt the server lost ends the job as unavailable instead of waiting for the job timeout",
        .timeLimit(.minutes(5)))
    func lostPromptEndsTheJob() async throws {
        let answers: [String: MisbehavingServer.Answer] = [
            "/prompt": .json(#"{"prompt_id": "lost-1", "number": 1, "node_errors": {}}"#),
            "/history/lost-1": .json("{}"),
            "/queue": .json(#"{"queue_running": [], "queue_pending": [[3, "someone-else", {}, {}, []]]}"#),
        ]
        try await MisbehavingServer.withServer(answers) { url, client in
            let backend = ComfyUIBackend(
                id: "comfy-lost", baseURL: url, httpClient: client,
                configuration: .init(connectTimeout: .milliseconds(500), historyPollInterval: .milliseconds(20)),
                logger: SimulatorHarness.quietLogger)
            // Bounded by the test's time limit, far below the job timeout (300 s) that a lost prompt used to wait
            // for: a loaded machine may take its time over the few polls it needs, and that is no failure.
            let error = await #expect(throws: BackendError.self) {
                try await backend.generate(BackendTestFixtures.request()) { _ in }
            }
            #expect(error == .unavailable("the prompt is no longer on the server (restarted?)"))
        }
    }
}
