import DarkroomBench
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Client connections that send the start of a request header and then nothing more: what a slow or hostile
/// client does to hold a server's connections.
///
/// They are held by a child process (Python), not by the test process: thousands of descriptors opening and
/// closing in the test process raced with Foundation's `Process.run()` in tests running beside it (a crash in
/// `Process.run()` seen under load). The child reports `open N` once every connection has sent its half header,
/// then `closed K` each time the server has closed more.
final class StalledConnections {
    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    /// How many connections are held.
    let count: Int
    private let process = Process()
    private let output = Pipe()
    /// The child's report not yet read to the end of a line.
    private var pending = ""
    private var closed = 0

    /// Opens `count` connections to `127.0.0.1:port`, each having sent half a header, and returns once all have.
    init(count: Int, port: Int) throws {
        self.count = count
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, "\(count)", "\(port)"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            guard let line = nextLine(waitingUpTo: 1_000) else {
                if process.isRunning { continue }
                break
            }
            if line == "open \(count)" { return }
            throw Failed(description: "the child holding the connections said: \(line)")
        }
        throw Failed(description: "the \(count) connections were not opened within 120 s")
    }

    deinit { closeAll() }

    /// How many of the connections the server has closed. With `waitingUpTo`, first waits until the server
    /// closes more or that many milliseconds pass.
    func closedByServer(waitingUpTo milliseconds: Int32 = 0) -> Int {
        var wait = milliseconds
        while let line = nextLine(waitingUpTo: wait) {
            if line.hasPrefix("closed "), let value = Int(line.dropFirst("closed ".count)) { closed = value }
            wait = 0
        }
        return closed
    }

    /// Closes every connection (the child is killed, and the kernel closes its sockets) and waits for the child.
    /// SIGKILL, not SIGTERM: a child inherits the test process's blocked signals, SIGTERM among them.
    func closeAll() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        // Not Foundation's waitUntilExit, which runs this thread's run loop: the kernel's word is enough.
        _ = ChildExit.blockUntilExited(process.processIdentifier, timeout: .seconds(30))
    }

    /// The child's next line, waiting for it at most `milliseconds`; `nil` if none came.
    private func nextLine(waitingUpTo milliseconds: Int32) -> String? {
        if let line = takeLine() { return line }
        let descriptor = output.fileHandleForReading.fileDescriptor
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, milliseconds) > 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let read = Glibc.read(descriptor, &bytes, bytes.count)
        guard read > 0 else { return nil }
        pending += String(decoding: bytes[..<read], as: UTF8.self)
        return takeLine()
    }

    private func takeLine() -> String? {
        guard let newline = pending.firstIndex(of: "\n") else { return nil }
        let line = String(pending[..<newline])
        pending = String(pending[pending.index(after: newline)...])
        return line
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
