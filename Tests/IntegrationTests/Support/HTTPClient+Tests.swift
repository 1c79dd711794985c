import AsyncHTTPClient
import NIOPosix

extension HTTPClient {
    /// The client these tests reach servers with: `HTTPClient.shared`'s settings on two event loops of its own.
    ///
    /// On the NIO singleton, `HTTPClient.shared` shares its two threads with everything else in the test process
    /// that uses it, above all the store tests' PostgreSQL connections, which decode every row on those threads
    /// in a debug build. Under the whole suite and `stress-ng` the singleton's loops ran their timers 2-9 s late,
    /// and this client's requests went out and came back in bursts seconds apart, while the servers under test
    /// were idle: a test of a server read that server as slow.
    static let forTests = HTTPClient(
        eventLoopGroup: MultiThreadedEventLoopGroup(numberOfThreads: 2), configuration: .singletonConfiguration)
}
