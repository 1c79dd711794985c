import DarkroomCore
import Foundation

/// The tenants and their API keys, kept in the job store's database so every gateway of a cluster and the
/// `darkroom tenants` / `darkroom keys` commands see the same ones.
///
/// Contract every conformer keeps (the tenant directory conformance suite tests each sentence):
/// - `createTenant` commits a new tenant and throws ``TenantDirectoryError/tenantExists(_:)`` for a taken name.
/// - `updateTenant` replaces the weight and limits of an existing tenant (its name and creation time stay).
/// - `deleteTenant` removes the tenant and its keys; its jobs stay, under its name, until retention removes them.
/// - `createKey` stores a key for an existing tenant with only its secret's hash; a second key with the same id
///   throws ``TenantDirectoryError/keyExists(_:)``.
/// - `revokeKey` marks a key revoked (once: revoking again keeps the first time); `credential` still returns it, so
///   a verifier can tell revoked from unknown.
/// - Unknown names and ids throw ``TenantDirectoryError/tenantNotFound(_:)`` or
///   ``TenantDirectoryError/keyNotFound(_:)``;
///   reads return `nil` or an empty list instead.
public protocol TenantDirectory: Sendable {
    func createTenant(_ tenant: Tenant) async throws -> Tenant
    func updateTenant(_ tenant: Tenant) async throws -> Tenant
    func deleteTenant(named name: String) async throws
    /// Every tenant, by name.
    func tenants() async throws -> [Tenant]
    func tenant(named name: String) async throws -> Tenant?
    func createKey(_ key: APIKey, secretHash: String) async throws -> APIKey
    /// The keys of one tenant, or of all with `nil`, oldest first; revoked ones included.
    func keys(tenant: String?) async throws -> [APIKey]
    func revokeKey(id: String, now: Date?) async throws -> APIKey
    /// A key with its secret's hash, for verifying a presented key; `nil` when no key has this id.
    func credential(keyID: String) async throws -> StoredCredential?
    /// How many jobs of `tenant` are queued and running now (read through an index of unfinished jobs, so the
    /// cost follows the tenant's own backlog, not the table).
    func unfinishedJobs(of tenant: String) async throws -> TenantBacklog
    /// The GPU seconds (measured service time) of `tenant`'s jobs that finished at or after `since`, read through
    /// an index of the tenant's finished jobs.
    func gpuSeconds(of tenant: String, since: Date) async throws -> Double
    /// Each tenant's use per UTC day, of the jobs that finished in `from..<to` (of `tenant` only, if given), by
    /// day then tenant; days and tenants with no finished job are absent.
    func usage(tenant: String?, from: Date, to: Date) async throws -> [TenantUsageDay]
}

/// A tenant's unfinished jobs, for admission.
public struct TenantBacklog: Sendable, Equatable {
    public var queued: Int
    public var running: Int

    public init(queued: Int, running: Int) {
        self.queued = queued
        self.running = running
    }
}

/// A key as a verifier needs it: the record and the hash its secret must match.
public struct StoredCredential: Sendable, Equatable {
    public var key: APIKey
    /// The hex SHA-256 of the key's secret.
    public var secretHash: String

    public init(key: APIKey, secretHash: String) {
        self.key = key
        self.secretHash = secretHash
    }
}

/// Why a tenant directory operation did not happen. Each case has a stable snake_case ``code``.
public enum TenantDirectoryError: Error, Sendable, Equatable {
    case tenantExists(String)
    case tenantNotFound(String)
    case keyExists(String)
    case keyNotFound(String)

    public var code: String {
        switch self {
        case .tenantExists: "tenant_exists"
        case .tenantNotFound: "tenant_not_found"
        case .keyExists: "key_exists"
        case .keyNotFound: "key_not_found"
        }
    }
}

extension TenantDirectoryError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .tenantExists(let name): "a tenant named \(name) already exists"
        case .tenantNotFound(let name): "no tenant is named \(name)"
        case .keyExists(let id): "a key with id \(id) already exists"
        case .keyNotFound(let id): "no key has id \(id)"
        }
    }
}
