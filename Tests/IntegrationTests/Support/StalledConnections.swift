import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Client connections that send the start of a request header and then nothing more: what a slow or hostile
/// client does to hold a server's connections.
final class StalledConnections {
    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    private var sockets: [Int32] = []
    /// The connections seen closed by the server.
    private var closed: Set<Int32> = []

    /// Opens `count` connections to `127.0.0.1:port`, each having sent half a header. Raises this process's
    /// open-file limit to its hard limit first (the servers it starts inherit it).
    init(count: Int, port: Int) throws {
        try Self.raiseOpenFileLimit(toHold: count)
        for _ in 0..<count {
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard socket >= 0 else { throw Failed(description: "socket() failed: errno \(errno)") }
            sockets.append(socket)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else { throw Failed(description: "connect() failed: errno \(errno)") }
            let half = "GET /v1/queue HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
            guard send(socket, half, half.utf8.count, Int32(MSG_NOSIGNAL)) == half.utf8.count else {
                throw Failed(description: "send() failed: errno \(errno)")
            }
        }
    }

    deinit { closeAll() }

    var count: Int { sockets.count }

    /// How many of the connections the server has closed (they read end-of-file). With `waitingUpTo`, first
    /// waits (in `poll`) until a connection still open has news or that many milliseconds pass.
    func closedByServer(waitingUpTo milliseconds: Int32 = 0) -> Int {
        var polled = sockets.filter { !closed.contains($0) }.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        guard !polled.isEmpty, poll(&polled, nfds_t(polled.count), milliseconds) >= 0 else { return closed.count }
        var buffer = [UInt8](repeating: 0, count: 512)
        for entry in polled where entry.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
            if recv(entry.fd, &buffer, buffer.count, Int32(MSG_PEEK | MSG_DONTWAIT)) <= 0 { closed.insert(entry.fd) }
        }
        return closed.count
    }

    func closeAll() {
        sockets.forEach { _ = close($0) }
        sockets = []
        closed = []
    }

    /// Raises the soft open-file limit to the hard one; fails when even that cannot hold `count` more files.
    static func raiseOpenFileLimit(toHold count: Int) throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        guard Int(clamping: limit.rlim_cur) >= count + 1_000 else {
            throw Failed(description: "the open-file limit (\(limit.rlim_cur)) cannot hold \(count) connections")
        }
    }
}
