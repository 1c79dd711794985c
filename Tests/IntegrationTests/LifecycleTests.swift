import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What survives a dead or stopped server: the data directory holds every job, and a restart finishes them.
@Suite(.serialized)
struct LifecycleTests {
    @Test("after kill -9 and a restart on the same data directory, all 30 jobs succeed once, none lost")
    func killNineThenRestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // 1.5 s per 512×512 image, 1 or 2 images a job: about 34 s of work on 2 slots, so the kill lands mid-backlog.
        // The 30 submits go together: one after another, a loaded machine once took longer than the whole backlog.
        let options = ["--sim-gpus", "2", "--sim-seconds", "6.0"]
        let first = try await ServerProcess.start(dataDirectory: directory.url, options: options)
        defer { first.stop() }

        let api = first.api
        let batchSizes = try await withThrowingTaskGroup(of: (String, Int).self) { group in
            for index in 0..<30 {
                let batchSize = index % 2 + 1
                group.addTask {
                    let job = try await api.submitAccepted(
                        JobRequestBody(prompt: "survivor \(index)", width: 512, height: 512, batchSize: batchSize))
                    return (job.id, batchSize)
                }
            }
            var sizes: [String: Int] = [:]
            for try await (id, batchSize) in group { sizes[id] = batchSize }
            return sizes
        }
        let beforeKill = try await waitUntil(
            "a job has started", reading: { try await first.api.jobs() },
            until: { jobs in jobs.contains { $0.state == "running" || $0.state == "succeeded" } })
        #expect(beforeKill.contains { !$0.isTerminal }, "jobs were still pending when the server was killed")
        try await first.killHard()

        let second = try await ServerProcess.start(dataDirectory: directory.url, options: options)
        defer { second.stop() }
        let ids = Set(batchSizes.keys)
        _ = try await second.api.waitForAllTerminal(ids, timeout: .seconds(180))

        let listed = try await second.api.jobs()
        #expect(listed.count == 30, "exactly the 30 submitted jobs are listed")
        #expect(Set(listed.map(\.id)) == ids)
        #expect(Set(listed.map(\.id)).count == listed.count, "no job is listed twice")
        for job in listed {
            #expect(job.state == "succeeded", "\(job)")
            #expect(job.images.count == batchSizes[job.id], "\(job.id) has \(job.images.count) images")
        }
        let urls = listed.flatMap { $0.images.map(\.url) }
        #expect(Set(urls).count == urls.count, "no image belongs to two results")
        for image in listed.flatMap(\.images) {
            let answer = try await second.api.get(image.url)
            #expect(answer.status == 200 && PNGHeader(answer.body) != nil, "\(image.url) is a PNG")
            #expect(sha256Hex(answer.body) == image.sha256)
        }
    }

    @Test("SIGTERM while a job runs exits 0, and after a restart that job succeeds")
    func gracefulStop() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let options = ["--sim-gpus", "1", "--sim-seconds", "2.0"]
        let first = try await ServerProcess.start(dataDirectory: directory.url, options: options)
        defer { first.stop() }

        // 100 steps at 2 s per 8: a 25 s job, still running when it is seen running and stopped, even when this
        // machine is so loaded that its event stream connects seconds late (once over 12 s, under stress-ng).
        let job = try await first.api.submitAccepted(JobRequestBody(prompt: "interrupted portrait", steps: 100))
        // The job's own event stream announces `running` however late a poll would have come.
        let seen = try await first.api.events(at: "/v1/jobs/\(job.id)/events") { event in
            event.name == "state" && event.data.contains(#""state":"running""#)
        }
        try #require(seen.last?.data.contains(#""state":"running""#) == true, "\(seen.map(\.data))")
        first.child.send(SIGTERM)
        // The drain lets the job finish (up to 30 s): the bound is a hang guard.
        try await first.child.requireExit(within: .seconds(120))
        #expect(first.child.exitStatus == 0, "darkroom serve exits 0 on SIGTERM\n\(first.log)")

        let second = try await ServerProcess.start(dataDirectory: directory.url, options: options)
        defer { second.stop() }
        let finished = try await second.api.waitForTerminal(job.id)
        #expect(finished.state == "succeeded", "\(finished)")
        #expect(finished.images.count == 1)
    }
}
