import Foundation
import Testing

/// `darkroom bench --control-plane` as a user runs it: the binary starts `darkroom serve` (SQLite), then a
/// gateway and a worker on a PostgreSQL database, runs zero-work jobs through each, stops them, and reports.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct ControlPlaneBenchTests {
    @Test("SQLite and PostgreSQL: every measured job succeeds, notified by SSE, and every server is stopped")
    func bothStores() async throws {
        let database = try await ClusterDatabase()
        defer { database.drop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let json = directory.url.appendingPathComponent("control-plane.json")
        let process = try await ChildProcess(arguments: [
            "bench", "--control-plane", "--clients", "4", "--jobs", "120", "--warmup-jobs", "20",
            "--database-url", database.url, "--timeout", "20s", "--json", json.path,
        ])
        defer { process.stop() }
        try await process.requireExit(within: .seconds(150))
        #expect(process.exitStatus == 0, "stderr: \(process.stderr)")
        #expect(process.stdout.contains("Celery 5.7 + Redis (reference)"), "stdout has the table: \(process.stdout)")

        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any]
        #expect(object?["scenario"] as? String == "control-plane")
        let runs = try #require(object?["runs"] as? [[String: Any]])
        #expect(runs.map { $0["store"] as? String } == ["sqlite", "postgres"])
        for run in runs {
            #expect(run["jobs"] as? Int == 120, "warm-up jobs are not counted: \(run)")
            #expect(run["succeeded"] as? Int == 120, "\(run)")
            #expect((run["errors_by_kind"] as? [String: Any])?.isEmpty == true, "\(run)")
            #expect((run["jobs_per_second"] as? Double ?? 0) > 0, "\(run)")
            let latency = try #require(run["latency_seconds"] as? [String: Double])
            #expect((latency["p50"] ?? 0) > 0 && (latency["p50"] ?? 0) <= (latency["p99"] ?? 0), "\(latency)")
            let lag = try #require(run["detection_lag_seconds"] as? [String: Double], "\(run)")
            #expect((lag["p50"] ?? -1) >= 0)
        }

        let started = Self.pids(in: process.stdout, saying: "started")
        #expect(started.count == 3, "serve, then gateway and worker: \(process.stdout)")
        for pid in started {
            #expect(process.stdout.contains("stopped pid \(pid)"), "pid \(pid) was stopped: \(process.stdout)")
            #expect(!Self.isServer(pid), "pid \(pid) is not running any more")
        }
    }

    @Test("--target: the jobs run on the server given, which the bench neither starts nor stops")
    func runningServer() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess.start(
            dataDirectory: directory.url.appendingPathComponent("data"),
            options: ["--sim-gpus", "2", "--sim-seconds", "0"])
        defer { server.stop() }
        let json = directory.url.appendingPathComponent("control-plane.json")
        let process = try await ChildProcess(arguments: [
            "bench", "--control-plane", "--target", server.baseURL, "--clients", "3", "--jobs", "40",
            "--warmup-jobs", "5", "--timeout", "20s", "--json", json.path,
        ])
        defer { process.stop() }
        try await process.requireExit(within: .seconds(120))
        #expect(process.exitStatus == 0, "stderr: \(process.stderr)")
        #expect(!process.stdout.contains("started"), "no server is started: \(process.stdout)")

        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any]
        let runs = try #require(object?["runs"] as? [[String: Any]])
        #expect(runs.map { $0["store"] as? String } == ["running"])
        #expect(runs.first?["succeeded"] as? Int == 40, "\(runs)")
        let jobs = try await server.api.jobs()
        #expect(jobs.count == 45, "the warm-up and measured jobs ran on the server given")
        #expect(jobs.allSatisfy { $0.state == "succeeded" }, "\(jobs.map(\.state))")
        #expect(server.child.isRunning, "the bench leaves the server it was given running")
    }

    @Test("bad settings are refused before any server starts")
    func refusals() async throws {
        let refused = [
            ["--jobs", "0"], ["--clients", "0"], ["--warmup-jobs", "-1"], ["--svg", "x.svg"], ["--target", "nowhere"],
            ["--target", "http://127.0.0.1:9", "--database-url", "postgres://127.0.0.1:9/x"],
        ]
        for arguments in refused {
            let process = try await ChildProcess(arguments: ["bench", "--control-plane"] + arguments)
            defer { process.stop() }
            try await process.requireExit(within: .seconds(120))
            #expect(process.exitStatus != 0 && process.exitStatus != nil, "\(arguments)")
            #expect(!process.stdout.contains("started"), "\(arguments): \(process.stdout)")
        }
    }

    /// The PIDs of `control plane: STORE: started COMMAND, pid N, …` lines.
    private static func pids(in stdout: String, saying verb: String) -> [Int32] {
        stdout.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("control plane: "), line.contains(verb),
                let range = line.range(of: "pid ")
            else { return nil }
            return Int32(line[range.upperBound...].prefix(while: \.isNumber))
        }
    }

    /// Whether `pid` is a live `darkroom serve`, `gateway` or `worker` (a reused PID would run something else).
    private static func isServer(_ pid: Int32) -> Bool {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        return arguments.contains("serve") || arguments.contains("gateway") || arguments.contains("worker")
    }
}
