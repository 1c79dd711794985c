import Foundation
import PostgresNIO

extension PostgresJobStore {
    /// Why a database URL was refused.
    public struct URLError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Connection settings from a `postgres://user:password@host:port/database?sslmode=…` URL.
    ///
    /// `sslmode` `disable` (the default for loopback hosts) connects in plain text, `require` insists on TLS,
    /// anything else prefers TLS. A missing port is 5432, a missing user `postgres`, a missing database the user.
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
        if let searchPath {
            configuration.options.additionalStartupParameters = [("search_path", searchPath)]
        }
        return configuration
    }
}
