import Foundation
import PostgresNIO

extension PostgresJobStore {
    /// Connections each process opens at most, unless the URL's `pool_size` says otherwise.
    public static let defaultPoolSize = 10
    /// How long an unused connection waits for its keep-alive ping, and to be closed (see
    /// ``configuration(url:searchPath:)``).
    public static let idleConnectionTimeout: Duration = .seconds(5)

    /// Why a database URL was refused.
    public struct URLError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Connection settings from a `postgres://user:password@host:port/database?sslmode=…&pool_size=…` URL.
    ///
    /// `sslmode` `disable` (the default for loopback hosts) connects in plain text, `require` insists on TLS,
    /// anything else prefers TLS. A missing port is 5432, a missing user `postgres`, a missing database the user.
    ///
    /// The pool opens up to `pool_size` connections (default ``defaultPoolSize``) on demand, pings one idle
    /// for ``idleConnectionTimeout`` and closes it after as long again. PostgresNIO arms an idle timer and a
    /// keep-alive timer each time a connection returns to the pool, and on Linux a cancelled timer's memory
    /// stays until its deadline: with the defaults (60 s idle, 30 s keep-alive) a gateway taking 1,000 submits
    /// a second held over 100 MB of expired timers. 5 s timers bound that to a few MB; the ping still finds a
    /// connection that died (a PostgreSQL restart) before a query does.
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
        configuration.options.maximumConnections = connections
        configuration.options.connectionIdleTimeout = idleConnectionTimeout
        configuration.options.keepAliveBehavior = .init(frequency: idleConnectionTimeout)
        if let searchPath {
            configuration.options.additionalStartupParameters = [("search_path", searchPath)]
        }
        return configuration
    }
}
