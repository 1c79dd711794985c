import DarkroomCore
import DarkroomStore
import Foundation

/// Turns presented API keys into principals, reading keys from the tenant directory.
///
/// A stored key is remembered for `cacheDuration` after it is read, so a busy client costs one store read per key
/// per few seconds, not one per request; a key revoked (or a tenant deleted) stops working within that time.
/// Unknown ids are not remembered, so guessing fills no memory.
final class KeyVerifier: Sendable {
    private let directory: any TenantDirectory
    private let credentials: RecentReads<StoredCredential?>

    init(directory: any TenantDirectory, cacheDuration: Duration = .seconds(5)) {
        self.directory = directory
        credentials = RecentReads(lifetime: cacheDuration)
    }

    /// The principal `token` authenticates, or `nil` when it is not a live key (malformed, unknown, wrong secret,
    /// revoked) or, with `tenant`, not one of that tenant's keys.
    ///
    /// - Throws: ``JobStoreError/unavailable(detail:)`` when the store cannot be read.
    func principal(presenting token: String, tenant: String? = nil) async throws -> Principal? {
        guard let parsed = APIKeyToken(parsing: token), let credential = try await credential(id: parsed.id),
            parsed.matches(storedHash: credential.secretHash), credential.key.revokedAt == nil
        else { return nil }
        if let tenant, tenant != credential.key.tenant { return nil }
        return Principal(tenant: credential.key.tenant, isAdmin: credential.key.isAdmin)
    }

    private func credential(id: String) async throws -> StoredCredential? {
        try await credentials.value(for: id, remember: { $0 != nil }) {
            try await directory.credential(keyID: id)
        }
    }
}
