import Foundation
import Subprocess

#if canImport(Glibc)
    import Glibc
#endif

/// Client connections that send the start of a request header and then nothing more: what a slow or hostile
/// client does to hold a server's connections.
///
/// They are held by a child process (Python), not by the test process: thousands of descriptors opening and
/// closing in the test process raced with Foundation's `Process.run()` in tests running beside it (a crash in
/// `Process.run()` seen under load). The child reports `open N` once every connection has sent its half header,
/// then `closed K` each time the server has closed more. Its reports are awaited, never waited for on the
/// calling thread: a blocking wait here once held one of the two threads that run every test's tasks on this
/// machine.
final class StalledConnections {
    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    /// How many connections are held.
    let count: Int
    private let child: ChildProcess

    /// Opens `count` connections to `127.0.0.1:port`, each having sent half a header, and returns once all have.
    static func open(count: Int, port: Int) async throws -> StalledConnections {
        let child = try await ChildProcess(.name("python3"), arguments: ["-c", script, "\(count)", "\(port)"])
        let connections = StalledConnections(count: count, child: child)
        // Its first line is `open N` or an error; a `closed K` means `open N` came first (and was overtaken).
        let report = try await waitUntil("\(count) stalled connections are open", timeout: .seconds(120)) {
            connections.lastReport ?? (child.isRunning ? nil : "nothing (it exited)")
        }
        guard report == "open \(count)" || report.hasPrefix("closed ") else {
            throw Failed(description: "the child holding the connections said: \(report)")
        }
        return connections
    }

    private init(count: Int, child: ChildProcess) {
        self.count = count
        self.child = child
    }

    deinit { closeAll() }

    /// How many of the connections the server has closed. With `waitingUpTo`, first waits until the server
    /// closes more or that much time passes.
    func closedByServer(waitingUpTo wait: Duration = .zero) async throws -> Int {
        let before = closedSoFar
        guard wait > .zero else { return before }
        return
            (try? await waitUntil("the server closes more", timeout: wait, every: .milliseconds(10)) {
                closedSoFar > before ? closedSoFar : nil
            }) ?? before
    }

    /// Closes every connection: the child is killed, and the kernel closes its sockets. Returns at once.
    /// SIGKILL, not SIGTERM: a child inherits the test process's blocked signals, SIGTERM among them.
    func closeAll() { child.send(SIGKILL) }

    /// The child's last complete line, if it has written one.
    private var lastReport: String? {
        let text = child.stdout
        guard let end = text.lastIndex(of: "\n") else { return nil }
        let start = text[..<end].lastIndex(of: "\n").map(text.index(after:)) ?? text.startIndex
        return String(text[start..<end])
    }

    private var closedSoFar: Int {
        guard let report = lastReport, report.hasPrefix("closed ") else { return 0 }
        return Int(report.dropFirst("closed ".count)) ?? 0
    }

    /// Raises the soft open-file limit to the hard one (the servers a test starts inherit it); fails when even that
    /// cannot hold `count` more files.
    static func raiseOpenFileLimit(toHold count: Int) throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        guard Int(clamping: limit.rlim_cur) >= count + 1_000 else {
            throw Failed(description: "the open-file limit (\(limit.rlim_cur)) cannot hold \(count) connections")
        }
    }

    /// The child: opens the connections, reports, then reports closes until all are closed or it is stopped.
    private static let script = #"""
        import resource, select, socket, sys
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        count, port = int(sys.argv[1]), int(sys.argv[2])
        sockets = {}
        try:
            for _ in range(count):
                s = socket.create_connection(("127.0.0.1", port))
                s.sendall(b"GET /v1/queue HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                sockets[s.fileno()] = s
        except OSError as error:
            print("error", error, flush=True)
            sys.exit(1)
        print("open", len(sockets), flush=True)
        poller = select.poll()
        for fd in sockets:
            poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
        closed = 0
        while closed < count:
            before = closed
            for fd, _ in poller.poll():
                try:
                    data = sockets[fd].recv(512, socket.MSG_DONTWAIT)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if not data:
                    poller.unregister(fd)
                    closed += 1
            if closed != before:
                print("closed", closed, flush=True)
        """#
}
