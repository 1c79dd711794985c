import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A PostgreSQL server of this test's own (initdb in a temporary directory, a free loopback port), for tests
/// that stop and start the database, which the shared test server must never see.
final class PrivatePostgres {
    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    let port: Int
    private let directory: TemporaryDirectory
    private let binaries: URL

    var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }

    init() throws {
        let installed = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard let version = installed.sorted(by: { $0.compare($1, options: .numeric) == .orderedAscending }).last else {
            throw Failed(description: "PostgreSQL server binaries are not installed (apt-get install postgresql; .ci/run does)")
        }
        binaries = URL(fileURLWithPath: "/usr/lib/postgresql/\(version)/bin")
        directory = try TemporaryDirectory()
        port = try NginxProcess.freePort()
        try run(["chown", "postgres:postgres", directory.url.path])
        try asPostgres(["initdb", "-D", dataPath, "-U", "postgres", "-A", "trust", "--no-sync"])
        try start()
    }

    deinit {
        try? stop()
        directory.remove()
    }

    private var dataPath: String { directory.url.appendingPathComponent("data").path }

    func start() throws {
        try asPostgres([
            "pg_ctl", "-D", dataPath, "-l", directory.url.appendingPathComponent("log").path, "-w", "-o",
            "-p \(port) -k \(directory.url.path) -c listen_addresses=127.0.0.1 -c fsync=off", "start",
        ])
    }

    func stop() throws {
        try asPostgres(["pg_ctl", "-D", dataPath, "-m", "fast", "-w", "stop"])
    }

    /// Runs a server binary as the `postgres` user when this process is root (initdb refuses root).
    private func asPostgres(_ arguments: [String]) throws {
        let binary = binaries.appendingPathComponent(arguments[0]).path
        let command = [binary] + arguments.dropFirst()
        try run(getuid() == 0 ? ["runuser", "-u", "postgres", "--"] + command : command)
    }

    /// Runs a command to completion with `posix_spawn` and `waitpid`, its output in a file. (Foundation's
    /// `Process` does not notice the exit of a `pg_ctl start` whose server daemon lives on.)
    private func run(_ arguments: [String]) throws {
        let outputPath = directory.url.appendingPathComponent("command.out").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw Failed(description: "cannot start \(arguments[0]): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            throw Failed(description: "\(arguments.joined(separator: " ")) failed (\(status)): \(text)")
        }
    }
}
