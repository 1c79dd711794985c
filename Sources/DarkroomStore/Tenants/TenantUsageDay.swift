import Foundation

/// What one tenant's jobs used on one UTC day: the GPU seconds of the jobs that finished that day and how many
/// ended in each state.
public struct TenantUsageDay: Sendable, Equatable {
    public var tenant: String
    /// The day's start, 00:00 UTC.
    public var day: Date
    public var gpuSeconds: Double
    public var succeeded: Int
    public var failed: Int
    public var canceled: Int
    public var expired: Int

    public init(
        tenant: String, day: Date, gpuSeconds: Double, succeeded: Int, failed: Int, canceled: Int, expired: Int
    ) {
        self.tenant = tenant
        self.day = day
        self.gpuSeconds = gpuSeconds
        self.succeeded = succeeded
        self.failed = failed
        self.canceled = canceled
        self.expired = expired
    }
}
