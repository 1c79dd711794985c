import AsyncHTTPClient
import Foundation
import Logging

/// `darkroom bench --scenario fairness`: tenants of different weights share simulated GPUs.
///
/// Creates the tenants and a key for each with `darkroom tenants create` / `keys create`, starts `darkroom serve`
/// (or, with a database URL, a gateway and one single-GPU worker process per GPU on PostgreSQL), has every tenant
/// submit all of its jobs at once (interleaved, so none is first by arrival), and one more tenant a single job
/// once the backlog is under way. When everything has finished it reads each tenant's jobs through the API and
/// measures the shares while all were backlogged (``FairShareMeasure``) and how long the late job waited.
public struct FairnessScenario: Sendable {
    /// A tenant of the scenario: its weight and how many jobs it submits.
    public struct TenantLoad: Sendable, Equatable {
        public var weight: Double
        public var jobs: Int

        public init(weight: Double, jobs: Int) {
            self.weight = weight
            self.jobs = jobs
        }
    }

    public var tenants: [TenantLoad]
    /// Simulated seconds per 1024×1024, 8-step image.
    public var simSeconds: Double
    public var gpus: Int
    /// The request every job makes.
    public var request: RequestShape
    /// `nil`: the embedded server; otherwise a cluster on this database (migrated by the scenario).
    public var databaseURL: String?
    /// The `darkroom` binary that runs the commands and servers.
    public var executable: URL
    let logger: Logger

    public init(
        tenants: [TenantLoad] = [1, 2, 4].map { TenantLoad(weight: $0, jobs: 300) }, simSeconds: Double,
        gpus: Int = 3, request: RequestShape = RequestShape(), databaseURL: String? = nil, executable: URL,
        logger: Logger
    ) {
        self.tenants = tenants
        self.simSeconds = simSeconds
        self.gpus = gpus
        self.request = request
        self.databaseURL = databaseURL
        self.executable = executable
        self.logger = logger
    }

    /// Throws the first setting that cannot run.
    public func validate() throws(BenchConfigurationError) {
        guard tenants.count >= 2 else { throw .invalid("fairness needs at least two tenants") }
        guard tenants.allSatisfy({ $0.weight > 0 && $0.jobs > 0 && $0.jobs <= 500 }) else {
            throw .invalid("each tenant needs a weight above 0 and 1…500 jobs")
        }
        guard simSeconds > 0, simSeconds.isFinite else { throw .invalid("--sim-seconds must be more than 0") }
        guard (1...64).contains(gpus) else { throw .invalid("--sim-gpus must be within 1…64") }
    }

    /// One service time: what one job takes on a simulated GPU.
    var serviceSeconds: Double {
        simSeconds * Double(request.width * request.height) / (1024 * 1024) * Double(request.steps) / 8
    }

    /// Runs the scenario; `note` hears each server started and stopped and each phase.
    public func run(note: @Sendable (String) -> Void) async throws -> FairnessReport {
        try validate()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("darkroom-bench-fairness-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = databaseURL.map { ["--database-url", $0] } ?? ["--data-dir", directory.path]
        if databaseURL != nil { _ = try await ChildCommand.run(executable, ["migrate"] + store) }
        // Names of this run's own, so a shared database keeps earlier runs apart.
        let run = UUID().uuidString.prefix(6).lowercased()
        let names = tenants.indices.map { "fair-\(run)-\($0 + 1)" }
        let late = "fair-\(run)-late"
        var keys: [String: String] = [:]
        for (name, weight) in zip(names + [late], tenants.map(\.weight) + [1]) {
            _ = try await ChildCommand.run(
                executable, ["tenants", "create", name, "--weight", ReportNumber.plain(weight)] + store)
            keys[name] = try await Self.key(from: ChildCommand.run(executable, ["keys", "create", name] + store))
        }
        let servers = try await startServers(store: store, directory: directory, note: note)
        defer {
            for server in servers.reversed() {
                server.stop()
                note("fairness: stopped pid \(server.pid)")
            }
        }
        let client = BenchHTTP.makeClient(connections: 64, readTimeout: .seconds(120))
        let api = FairnessAPI(http: BenchHTTP(client: client, target: servers[0].url, logger: logger))
        let measured: Result<FairnessReport, any Error>
        do {
            measured = .success(try await measure(api, names: names, late: late, keys: keys, note: note))
        } catch {
            measured = .failure(error)
        }
        try await client.shutdown()
        return try measured.get()
    }

    /// Submits every tenant's jobs and the late one, waits for all to end, and measures.
    private func measure(
        _ api: FairnessAPI, names: [String], late: String, keys: [String: String], note: (String) -> Void
    ) async throws -> FairnessReport {
        let loads = zip(names, tenants).map { (name: $0, key: keys[$0]!, jobs: $1.jobs) }
        note("fairness: \(tenants.map(\.jobs).reduce(0, +)) jobs from \(tenants.count) tenants")
        let submitted = ContinuousClock.now
        try await api.submitInterleaved(loads, body: request.darkroomBody())
        // The late tenant's one job, once the backlog has run for a quarter of its expected length.
        let expected = serviceSeconds * Double(tenants.map(\.jobs).reduce(0, +)) / Double(gpus)
        try await Task.sleep(until: submitted + .seconds(expected / 4), clock: .continuous)
        let lateJob = try await api.submit(key: keys[late]!, body: request.darkroomBody())
        note("fairness: \(late) submitted one job")
        let finished = try await api.waitUntilFinished(keys: names.map { keys[$0]! } + [keys[late]!])
        note("fairness: all jobs finished")
        let measured = zip(names, tenants).map { name, tenant in
            FairShareMeasure.TenantRuns(
                name: name, weight: tenant.weight, runs: finished[keys[name]!, default: []].compactMap(\.run))
        }
        let lateRun = finished[keys[late]!, default: []].first { $0.id == lateJob }
        // The first slot to free after the late job was accepted: from then on it could start.
        let freed = lateRun.flatMap { late in
            finished.values.joined().compactMap(\.finished).filter { $0 >= late.created }.min()
        }
        return FairnessReport(
            store: databaseURL == nil ? "sqlite" : "postgresql", gpus: gpus, serviceSeconds: serviceSeconds,
            measure: FairShareMeasure(measured),
            lateWaitSeconds: lateRun.flatMap { run in run.started.map { $0.timeIntervalSince(run.created) } },
            lateWaitAfterFreeSeconds: lateRun.flatMap { run in
                guard let started = run.started, let freed else { return nil }
                return max(0, started.timeIntervalSince(freed))
            })
    }

    /// The embedded server, or a gateway (first) and its workers.
    private func startServers(store: [String], directory: URL, note: (String) -> Void) async throws -> [ChildServer] {
        let common = ["--sim-seconds", String(simSeconds), "--log-level", "notice"]
        guard databaseURL != nil else {
            let server = try await ChildServer.start(
                executable: executable,
                arguments: ["serve", "--host", "127.0.0.1", "--port", "0", "--auth", "on", "--sim-gpus", String(gpus)]
                    + store + common)
            note("fairness: started pid \(server.pid) (serve, \(gpus) GPUs), listening at \(server.address)")
            return [server]
        }
        let images = directory.appendingPathComponent("images").path
        var servers = [
            try await ChildServer.start(
                executable: executable,
                arguments: ["gateway", "--host", "127.0.0.1", "--port", "0", "--auth", "on", "--image-dir", images]
                    + store + ["--log-level", "notice"])
        ]
        note("fairness: started pid \(servers[0].pid) (gateway), listening at \(servers[0].address)")
        for index in 0..<gpus {
            let worker = try await ChildServer.start(
                executable: executable,
                arguments: [
                    "worker", "--sim-gpus", "1", "--image-dir", images, "--metrics-port", "0", "--name",
                    "fair-\(index)",
                ] + store + common)
            note("fairness: started pid \(worker.pid) (worker, 1 GPU)")
            servers.append(worker)
        }
        return servers
    }

    /// The key `darkroom keys create` printed: alone on its last line.
    private static func key(from output: String) throws -> String {
        guard let line = output.split(separator: "\n").last.map(String.init), line.hasPrefix("dr_") else {
            throw ChildCommand.Failed(arguments: ["keys", "create"], status: 0, output: output)
        }
        return line
    }
}
