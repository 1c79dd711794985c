import AsyncHTTPClient
import DarkroomCore
import DarkroomWire
import Foundation
import Testing

@testable import DarkroomBackends

/// A1111Backend against scripted servers: stalled answers time out (and interrupt the abandoned request), and a
/// 200 after someone else's interrupt is not taken for a finished job.
@Suite(.timeLimit(.minutes(5))) struct A1111BackendInterruptTests {
    typealias Answer = MisbehavingServer.Answer
    static let request = BackendTestFixtures.request(width: 64, height: 64, seed: 5)

    static func backend(
        _ url: URL, _ client: HTTPClient, requestTimeout: Duration = .seconds(10), probeTimeout: Duration = .seconds(1)
    ) -> A1111Backend {
        A1111Backend(
            id: "forge-1", baseURL: url, httpClient: client,
            configuration: .init(
                requestTimeout: requestTimeout, probeTimeout: probeTimeout, progressInterval: .milliseconds(50)),
            logger: SimulatorHarness.quietLogger)
    }

    static func progress(interrupted: Bool) -> Answer {
        .json(#"{"progress": 0, "state": {"interrupted": \#(interrupted), "job_count": 0, "sampling_steps": 8}}"#)
    }

    static func images() throws -> Answer {
        let png = try BackendTestFixtures.png(width: 64, height: 64).base64EncodedString()
        return .json(#"{"images": ["\#(png)"], "info": "{\"all_seeds\": [5]}"}"#)
    }

    @Test("health with a 1 s probe timeout is unreachable in time when /sdapi/v1/memory stalls")
    func healthStalls() async throws {
        try await ScriptedServer.withServer(["/sdapi/v1/memory": .stallBody]) { url, client, _ in
            // Within the suite's time limit only the 1 s probe timeout can end it: the read timeout is 10 minutes.
            let health = await Self.backend(url, client).health()
            #expect(!health.isReachable)
            #expect(health.problem == BackendError.timedOut.message)
        }
    }

    @Test("a txt2img call that times out sends /interrupt, then throws timedOut")
    func timeoutInterrupts() async throws {
        let scripts: [String: ScriptedServer.Script] = [
            "/sdapi/v1/txt2img": .stallBody, "/sdapi/v1/progress": .answer(Self.progress(interrupted: false)),
            "/sdapi/v1/interrupt": .answer(.json("{}")),
        ]
        try await ScriptedServer.withServer(scripts) { url, client, log in
            let backend = Self.backend(url, client, requestTimeout: .seconds(1))
            await #expect(throws: BackendError.timedOut) {
                _ = try await backend.generate(Self.request) { _ in }
            }
            #expect(await log.count("/sdapi/v1/interrupt") == 1)
        }
    }

    @Test("a 200 after a progress poll saw interrupted is interrupted, not partial images")
    func interruptedElsewhere() async throws {
        // txt2img answers after the second poll starts, so the first poll's answer has been read.
        let scripts: [String: ScriptedServer.Script] = [
            "/sdapi/v1/txt2img": .answerAfter(path: "/sdapi/v1/progress", count: 2, try Self.images()),
            "/sdapi/v1/progress": .answer(Self.progress(interrupted: true)),
            "/sdapi/v1/interrupt": .answer(.json("{}")),
        ]
        try await ScriptedServer.withServer(scripts) { url, client, log in
            // A poll that timed out would leave no poll to judge by: on a loaded machine 1 s is not always enough.
            let backend = Self.backend(url, client, requestTimeout: .seconds(50), probeTimeout: .seconds(30))
            await #expect(throws: BackendError.interrupted) {
                _ = try await backend.generate(Self.request) { _ in }
            }
            #expect(await log.count("/sdapi/v1/interrupt") == 0)
            #expect(backend.loadedAffinity == nil)
        }
    }

    @Test("the same 200 without an interrupt returns the images")
    func notInterrupted() async throws {
        let scripts: [String: ScriptedServer.Script] = [
            "/sdapi/v1/txt2img": .answerAfter(path: "/sdapi/v1/progress", count: 2, try Self.images()),
            "/sdapi/v1/progress": .answer(Self.progress(interrupted: false)),
        ]
        try await ScriptedServer.withServer(scripts) { url, client, _ in
            let backend = Self.backend(url, client, requestTimeout: .seconds(50), probeTimeout: .seconds(30))
            let images = try await backend.generate(Self.request) { _ in }
            #expect(images.map(\.seed) == [5])
        }
    }
}
