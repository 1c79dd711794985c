import DarkroomCore
import Foundation

extension Components.Schemas.Tenant {
    init(_ tenant: Tenant) {
        let limits = tenant.limits
        self.init(
            name: tenant.name, weight: tenant.weight, maxQueued: limits.maxQueued, maxRunning: limits.maxRunning,
            ratePerSecond: limits.ratePerSecond, burst: limits.burst, dailyGpuSeconds: limits.dailyGPUSeconds,
            createdAt: tenant.createdAt)
    }
}

extension Components.Schemas.TenantSettings {
    /// The tenant these settings describe, named `name`; unchecked (``Tenant/validate()`` checks).
    func tenant(named name: String) -> Tenant {
        Tenant(
            name: name, weight: weight ?? 1,
            limits: TenantLimits(
                maxQueued: maxQueued, maxRunning: maxRunning, ratePerSecond: ratePerSecond, burst: burst,
                dailyGPUSeconds: dailyGpuSeconds))
    }
}

extension Components.Schemas.APIKey {
    init(_ key: APIKey) {
        self.init(
            id: key.id, tenant: key.tenant, label: key.label, admin: key.isAdmin, createdAt: key.createdAt,
            revokedAt: key.revokedAt)
    }
}
