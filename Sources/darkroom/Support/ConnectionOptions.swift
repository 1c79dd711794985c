import ArgumentParser
import DarkroomAPI

/// `--header-timeout` and `--max-connections`, for the servers clients reach (`serve`, `gateway`).
struct ConnectionOptions: ParsableArguments {
    @Option(
        help: """
            Seconds a connection may take to send a whole request header (or stay idle between requests) before \
            it is closed; answering a request is never cut by it.
            """)
    var headerTimeout: Int = 60

    @Option(
        help: """
            Open connections past which a new one may ask only for /healthz and /readyz (others get 503 \
            too_many_connections). Default: 10000, or fewer under a lower open-file limit.
            """)
    var maxConnections: Int?

    func validate() throws {
        guard headerTimeout >= 1 else { throw ValidationError("--header-timeout must be at least 1 second") }
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
    }

    var policy: ConnectionPolicy {
        ConnectionPolicy(headerTimeout: .seconds(headerTimeout), maxConnections: maxConnections)
    }
}
