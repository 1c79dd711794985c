import Foundation
import Testing

/// Cluster mode as a user runs it: PostgreSQL, `darkroom migrate`, gateways and workers as separate
/// processes, and a real nginx in front, configured from `deploy/nginx/darkroom.conf`.
///
/// The time limit is a hang guard: the test takes 37 s under `stress-ng --cpu 2` alone, but once passed 300 s
/// in the full suite under it.
@Suite(.serialized, .timeLimit(.minutes(8)))
struct ClusterTests {
    static let jobs = 300

    @Test(
        "through nginx, 2 gateways and 3 workers run every accepted job once, while a worker and a gateway are killed")
    func clusterSurvivesKills() async throws {
        let database = try await ClusterDatabase()
        defer { database.drop() }
        let images = try TemporaryDirectory()
        defer { images.remove() }
        let migrate = try await ChildProcess(arguments: ["migrate", "--database-url", database.url])
        try await migrate.requireExit(within: .seconds(120))
        #expect(migrate.exitStatus == 0, "darkroom migrate failed: \(migrate.stderr)")

        let gateways = try await [0, 1].asyncMap { _ in
            try await ServerProcess.launch([
                "gateway", "--database-url", database.url, "--port", "0", "--image-dir", images.url.path, "--auth",
                "off",
            ])
        }
        defer { gateways.forEach { $0.stop() } }
        let workerArguments = { (name: String, seconds: String) in
            [
                "worker", "--database-url", database.url, "--sim-gpus", "2", "--sim-seconds", seconds, "--image-dir",
                images.url.path, "--name", name, "--metrics-port", "0", "--lease-seconds", "3", "--rescue-interval",
                "1",
            ]
        }
        // w0's GPUs take 10 minutes a job: whatever it claims, it still holds when it is killed.
        var workers = try await [("w0", "600"), ("w1", "0.5"), ("w2", "0.5")].asyncMap {
            try await ServerProcess.launch(workerArguments($0, $1))
        }
        defer { workers.forEach { $0.stop() } }
        let nginx = try await NginxProcess(gateways: gateways.map(\.baseURL))
        defer { nginx.stop() }
        let api = APIClient(baseURL: nginx.baseURL)
        _ = try await waitUntil("nginx answers", timeout: .seconds(60)) {
            try? await api.get("/healthz").status == 200 ? true : nil
        }

        var accepted = try await submitAll(Self.jobs / 2, from: 0, through: api)

        // Once w0 runs a job on each GPU, kill -9 it (its leased jobs must be rescued) and start it again.
        _ = try await waitUntil("w0 runs two jobs", timeout: .seconds(60)) {
            let busy = try await api.queue().backends.filter { $0.worker == "w0" }.map(\.busySlots).reduce(0, +)
            return busy == 2 ? true : nil
        }
        try await workers[0].killHard()
        workers[0] = try await ServerProcess.launch(workerArguments("w0-restarted", "0.5"))

        // Then kill -9 one gateway while the second half is being submitted: requests cut off on it are
        // retried by the clients; every one answered 202 must still run.
        let secondWave = Task { try await submitAll(Self.jobs - Self.jobs / 2, from: Self.jobs / 2, through: api) }
        try await gateways[0].killHard()
        accepted.formUnion(try await secondWave.value)
        #expect(accepted.count == Self.jobs)

        let finished = try await waitUntil(
            "all accepted jobs finish", timeout: .seconds(120), every: .milliseconds(500)
        ) {
            let jobs = try await api.jobs().filter { accepted.contains($0.id) }
            return jobs.count == accepted.count && jobs.allSatisfy(\.isTerminal) ? jobs : nil
        }

        // Progress made by the workers reaches a client through nginx and the surviving gateway. The workers are
        // stopped (SIGSTOP) until the client has its first event, so the job cannot finish before it listens.
        let paused = workers
        paused.forEach { $0.child.send(SIGSTOP) }
        defer { paused.forEach { $0.child.send(SIGCONT) } }
        let followed = try await api.submitAccepted(JobRequestBody(prompt: "followed"))
        let events = try await api.events(at: "/v1/jobs/\(followed.id)/events") { _ in
            paused.forEach { $0.child.send(SIGCONT) }
            return false
        }
        #expect(events.contains { $0.name == "progress" })
        #expect(events.last?.name == "state" && events.last?.data.contains(#""state":"succeeded""#) == true)

        #expect(finished.allSatisfy { $0.state == "succeeded" }, "\(finished.filter { $0.state != "succeeded" })")
        #expect(finished.count == accepted.count)
        #expect(finished.allSatisfy { $0.images.count == 1 })
        // The killed worker held leases: those jobs were rescued and ran again elsewhere.
        #expect(finished.contains { $0.attempt >= 2 })
        for job in finished {
            let image = try #require(job.images.first)
            let answer = try await api.get(image.url)
            #expect(answer.status == 200)
            #expect(PNGHeader(answer.body) == PNGHeader(width: 1024, height: 1024))
            #expect(sha256Hex(answer.body) == image.sha256)
        }
    }

    /// Submits `count` jobs concurrently; a submit that fails because its gateway went away is retried.
    private func submitAll(_ count: Int, from first: Int, through api: APIClient) async throws -> Set<String> {
        try await withThrowingTaskGroup(of: String.self) { group in
            for index in first..<first + count {
                group.addTask {
                    try await waitUntil("submit \(index) is accepted", timeout: .seconds(120)) {
                        let answer = try? await api.submit(
                            JobRequestBody(prompt: "portrait \(index)", seed: Int64(index)))
                        guard let answer, answer.status == 202 else { return nil }
                        return try answer.decode(JobJSON.self).id
                    }
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
    }
}

extension Array {
    /// `map` for async transforms, one element after another.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
