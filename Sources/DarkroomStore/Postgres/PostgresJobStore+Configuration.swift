import Foundation
import PostgresNIO

extension PostgresJobStore {
    /// Connections each process keeps open unless the URL's `pool_size` says otherwise.
    public static let defaultPoolSize = 10

    /// Why a database URL was refused.
    public struct URLError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Connection settings from a `postgres://user:password@host:port/database?sslmode=…&pool_size=…` URL.
    ///
    /// `sslmode` `disable` (the default for loopback hosts) connects in plain text, `require` insists on TLS,
    /// anything else prefers TLS. A missing port is 5432, a missing user `postgres`, a missing database the user.
    ///
    /// The pool is fixed: `pool_size` connections (default ``defaultPoolSize``), opened at start and kept,
    /// with no keep-alive pings. PostgresNIO arms an idle timer and a keep-alive timer each time a connection
    /// above the minimum, or any connection with keep-alive, returns to the pool; a cancelled timer's memory
    /// stays until its deadline (up to 60 s) on Linux, so a gateway taking 1,000 submits a second held over
    /// 100 MB of expired timers. A fixed pool arms none. A connection that died while idle fails its next
    /// operation (503 `store_unavailable` or a retried claim) and is replaced.
    ///
    /// - Parameter searchPath: a schema to use instead of `public` (tests give each case its own).
    /// - Throws: ``URLError`` naming what is wrong, so a bad setting fails at start with a clear message.
    public static func configuration(url text: String, searchPath: String? = nil) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: text),
            components.scheme == "postgres" || components.scheme == "postgresql"
        else {
            throw URLError(description: "the database URL must look like postgres://user:password@host:5432/database")
        }
        guard let host = components.host, !host.isEmpty else {
            throw URLError(description: "the database URL has no host")
        }
        let username = components.user ?? "postgres"
        let database = components.path.split(separator: "/").first.map(String.init) ?? username
        let sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value
        let isLoopback = host == "localhost" || host.hasPrefix("127.") || host == "::1"
        let tls: PostgresClient.Configuration.TLS =
            switch sslMode ?? (isLoopback ? "disable" : "prefer") {
            case "disable": .disable
            case "require", "verify-ca", "verify-full": .require(.makeClientConfiguration())
            default: .prefer(.makeClientConfiguration())
            }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: username,
            password: components.password?.removingPercentEncoding, database: database, tls: tls)
        var connections = defaultPoolSize
        if let text = components.queryItems?.first(where: { $0.name == "pool_size" })?.value {
            guard let count = Int(text), (1...1_000).contains(count) else {
                throw URLError(description: "the database URL's pool_size must be a number of connections within 1…1000")
            }
            connections = count
        }
        configuration.options.minimumConnections = connections
        configuration.options.maximumConnections = connections
        configuration.options.keepAliveBehavior = nil
        if let searchPath {
            configuration.options.additionalStartupParameters = [("search_path", searchPath)]
        }
        return configuration
    }
}
