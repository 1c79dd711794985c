import NIOCore
import NIOPosix

/// A quick answer to "is the database there at all?", for a call that is slow to be answered: PostgresNIO's pool
/// keeps trying to open connections to a stopped server instead of failing the calls that wait for one, so without
/// this the first calls after an outage began would each wait out the operation timeout.
extension PostgresJobStore {
    /// How long a call waits for its answer before the store checks whether the server accepts connections.
    static let suspicionDelay: Duration = .milliseconds(200)
    /// How long that check waits for the server to accept a connection.
    static let reachabilityTimeout: TimeAmount = .seconds(1)

    /// Starts a check, unless one runs or ran within the last second: a TCP connection to the server's address.
    /// A refused connection marks the store down at once (answering every call in flight); a connection
    /// accepted, or none within ``reachabilityTimeout`` (a loaded machine connects slowly too), changes nothing.
    func checkReachable() {
        guard let host = serverHost, let port = serverPort, health.beginCheck() else { return }
        Task { [self] in
            defer { health.endCheck() }
            do {
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connectTimeout(Self.reachabilityTimeout)
                    .connect(host: host, port: port).get()
                try? await channel.close()
            } catch ChannelError.connectTimeout {
                // Inconclusive: a busy machine is slow to connect too. The call's own timeout decides.
            } catch {
                health.markDown("PostgreSQL at \(host):\(port) does not accept connections: \(error)")
            }
        }
    }
}
