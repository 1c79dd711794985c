import ArgumentParser
import DarkroomCore
import DarkroomStore
import Foundation

/// How the `tenants` and `keys` commands print what they did, and report what they could not do.
enum TenantOutput {
    /// One tenant on one line: `name weight=… max_queued=…`, limits left out when unlimited.
    static func line(_ tenant: Tenant) -> String {
        let limits = tenant.limits
        var fields = ["\(tenant.name)", "weight=\(number(tenant.weight))"]
        if let value = limits.maxQueued { fields.append("max_queued=\(value)") }
        if let value = limits.maxRunning { fields.append("max_running=\(value)") }
        if let value = limits.ratePerSecond { fields.append("rate=\(number(value))/s") }
        if let value = limits.burst { fields.append("burst=\(value)") }
        if let value = limits.dailyGPUSeconds { fields.append("daily_gpu_seconds=\(number(value))") }
        return fields.joined(separator: " ")
    }

    /// One key on one line: `id tenant label admin revoked`.
    static func line(_ key: APIKey) -> String {
        var fields = [key.id, "tenant=\(key.tenant)"]
        if let label = key.label { fields.append("name=\(label)") }
        if key.isAdmin { fields.append("admin") }
        fields.append("created=\(key.createdAt.formatted(.iso8601))")
        if let revoked = key.revokedAt { fields.append("revoked=\(revoked.formatted(.iso8601))") }
        return fields.joined(separator: " ")
    }

    static func json<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// A usage error for invalid settings, before the store is touched.
    static func check(_ tenant: Tenant) throws {
        do {
            try tenant.validate()
        } catch let error as TenantSettingError {
            throw ValidationError(error.description)
        }
    }

    /// Runs `body`, turning the directory's refusals (a taken name, an unknown tenant) into a message and exit 1.
    @discardableResult
    static func reporting<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as TenantDirectoryError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode.failure
        }
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
