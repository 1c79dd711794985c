import DarkroomCore
import DarkroomStore
import Foundation
import Synchronization

/// Turns presented API keys into principals, reading keys from the tenant directory.
///
/// A stored key is remembered for `cacheDuration` after it is read, so a busy client costs one store read per key
/// per few seconds, not one per request; a key revoked (or a tenant deleted) stops working within that time.
/// Unknown ids are not remembered, so guessing fills no memory.
final class KeyVerifier: Sendable {
    private let directory: any TenantDirectory
    private let cacheDuration: Duration
    private let cache = Mutex<[String: (credential: StoredCredential, readAt: ContinuousClock.Instant)]>([:])
    /// The most keys remembered at once; past it the memory starts afresh.
    private static let cacheLimit = 10_000

    init(directory: any TenantDirectory, cacheDuration: Duration = .seconds(5)) {
        self.directory = directory
        self.cacheDuration = cacheDuration
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
        let now = ContinuousClock.now
        let remembered = cache.withLock { $0[id] }
        if let remembered, now - remembered.readAt < cacheDuration { return remembered.credential }
        guard let credential = try await directory.credential(keyID: id) else {
            cache.withLock { _ = $0.removeValue(forKey: id) }
            return nil
        }
        cache.withLock { cache in
            if cache.count >= Self.cacheLimit { cache.removeAll() }
            cache[id] = (credential, now)
        }
        return credential
    }
}
