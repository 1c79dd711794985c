import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A PostgreSQL server of this test's own (initdb in a temporary directory, a free loopback port), for tests
/// that stop and start the database, which the shared test server must never see.
///
/// Its commands (`initdb`, `pg_ctl`) are awaited, never waited for on the calling thread: on a loaded machine
/// they take seconds, and the test process has only as many threads for every test's tasks as the machine has
/// cores.
final class PrivatePostgres {
    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    let port: Int
    private let directory: TemporaryDirectory
    private let binaries: URL

    var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }

    /// Creates a database cluster in a temporary directory and starts its server.
    static func start() async throws -> PrivatePostgres {
        let postgres = try PrivatePostgres()
        try await postgres.run(["chown", "postgres:postgres", postgres.directory.url.path])
        try await postgres.asPostgres(["initdb", "-D", postgres.dataPath, "-U", "postgres", "-A", "trust", "--no-sync"])
        try await postgres.start()
        return postgres
    }

    private init() throws {
        let installed = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard let version = installed.sorted(by: { $0.compare($1, options: .numeric) == .orderedAscending }).last else {
            throw Failed(
                description: "PostgreSQL server binaries are not installed (apt-get install postgresql; .ci/run does)")
        }
        binaries = URL(fileURLWithPath: "/usr/lib/postgresql/\(version)/bin")
        directory = try TemporaryDirectory()
        port = try FreePort.pick()
    }

    /// Stops the server at once (`-m immediate`) and removes its directory, on a thread of its own.
    deinit {
        let stop = [binaries.appendingPathComponent("pg_ctl").path, "-D", dataPath, "-m", "immediate", "-w", "stop"]
        let command = getuid() == 0 ? ["runuser", "-u", "postgres", "--"] + stop : stop
        let directory = self.directory
        Thread.detachNewThread {
            if let pid = try? Self.spawn(command, output: "/dev/null") { _ = Self.status(of: pid, waiting: true) }
            directory.remove()
        }
    }

    private var dataPath: String { directory.url.appendingPathComponent("data").path }

    /// Starts the server and waits until it accepts connections: up to 5 minutes (`-t 300`), since pg_ctl's own
    /// 60 s ran out once while several private servers started under stress-ng.
    func start() async throws {
        let log = directory.url.appendingPathComponent("log").path
        do {
            try await asPostgres([
                "pg_ctl", "-D", dataPath, "-l", log, "-w", "-t", "300", "-o",
                "-p \(port) -k \(directory.url.path) -c listen_addresses=127.0.0.1 -c fsync=off", "start",
            ])
        } catch let failed as Failed {
            // pg_ctl only says to look at the server's log: the failure carries its end.
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? "(no server log)"
            throw Failed(description: "\(failed.description)\n--- server log (end) ---\n\(text.suffix(2_000))")
        }
    }

    func stop() async throws {
        try await asPostgres(["pg_ctl", "-D", dataPath, "-m", "fast", "-w", "-t", "300", "stop"])
    }

    /// Runs a server binary as the `postgres` user when this process is root (initdb refuses root).
    private func asPostgres(_ arguments: [String]) async throws {
        let binary = binaries.appendingPathComponent(arguments[0]).path
        let command = [binary] + arguments.dropFirst()
        try await run(getuid() == 0 ? ["runuser", "-u", "postgres", "--"] + command : command)
    }

    /// Runs a command to completion, its output in a file. (Foundation's `Process` does not notice the exit of a
    /// `pg_ctl start` whose server daemon lives on; `waitpid` does.)
    private func run(_ arguments: [String]) async throws {
        let outputPath = directory.url.appendingPathComponent("command.out").path
        let pid = try Self.spawn(arguments, output: outputPath)
        let status = try await waitUntil("\(arguments[0]) exits", timeout: .seconds(300), every: .milliseconds(20)) {
            Self.status(of: pid, waiting: false)
        }
        guard status == 0 else {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            throw Failed(description: "\(arguments.joined(separator: " ")) failed (\(status)): \(text)")
        }
    }

    /// Starts `arguments` with `posix_spawn`, standard input from /dev/null, both outputs to `output`, no other
    /// descriptor inherited.
    private static func spawn(_ arguments: [String], output: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of this process's: the server `pg_ctl start` leaves running would otherwise hold this
        // process's sockets open (to the shared test database among them) long after this process closed them,
        // and a LISTEN connection nobody reads blocks its backend, and with it every DROP DATABASE.
        // (Swift's Glibc module does not declare it.)
        guard let closeFrom = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np") else {
            throw Failed(
                description: "posix_spawn_file_actions_addclosefrom_np is missing (glibc 2.34 or later has it)")
        }
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        _ = unsafeBitCast(closeFrom, to: CloseFrom.self)(&actions, 3)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw Failed(description: "cannot start \(arguments[0]): error \(spawned)") }
        return pid
    }

    /// The exit status of the child `pid` once it has exited (reaping it); `nil` while it runs. `waiting`
    /// blocks the calling thread until it exits.
    private static func status(of pid: pid_t, waiting: Bool) -> Int32? {
        var status: Int32 = 0
        while true {
            let answer = waitpid(pid, &status, waiting ? 0 : WNOHANG)
            if answer == pid { return status }
            if answer == 0 { return nil }
            if errno != EINTR { return -1 }
        }
    }
}
