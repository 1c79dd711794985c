import Foundation

/// An API key as the store keeps it: who it belongs to and what it may do, never its secret (only the secret's
/// hash is stored, next to this record).
public struct APIKey: Sendable, Equatable, Codable {
    /// The key's public identifier, part of the key itself (`dr_<id>_<secret>`), shown by `keys list`.
    public var id: String
    /// The tenant whose jobs the key submits and sees.
    public var tenant: String
    /// A label for people ("ci", "studio laptop").
    public var label: String?
    /// Whether the key may also manage tenants and keys (`/v1/admin`).
    public var isAdmin: Bool
    public var createdAt: Date
    /// When it was revoked; a revoked key authenticates nothing.
    public var revokedAt: Date?

    public init(
        id: String, tenant: String, label: String? = nil, isAdmin: Bool = false, createdAt: Date = Date(),
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.tenant = tenant
        self.label = label
        self.isAdmin = isAdmin
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}
