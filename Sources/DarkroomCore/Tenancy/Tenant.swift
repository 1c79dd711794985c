import Foundation

/// A client of the service: the owner of jobs and API keys, with its share of the GPUs and its limits.
///
/// GPU time is shared among the tenants with queued jobs in proportion to their `weight`; the limits bound what
/// one tenant may ask for (docs/tenants.md).
public struct Tenant: Sendable, Equatable, Codable {
    /// The tenant's name: lower-case letters, digits, `-` and `_`, at most 63 characters (``validName(_:)``).
    public var name: String
    /// Its share of the GPU time while several tenants wait, relative to the others' weights.
    public var weight: Double
    /// What it may ask for; `nil` limits are unlimited.
    public var limits: TenantLimits
    public var createdAt: Date

    public init(name: String, weight: Double = 1, limits: TenantLimits = TenantLimits(), createdAt: Date = Date()) {
        self.name = name
        self.weight = weight
        self.limits = limits
        self.createdAt = createdAt
    }

    /// The tenant of every job submitted while authentication is off, and of jobs from before tenants existed.
    public static let defaultName = "default"

    /// The weights a tenant may have: positive, at most 1,000.
    public static let weights: ClosedRange<Double> = 0.001...1_000

    /// Whether `name` is a valid tenant name: 1–63 characters of `a-z`, `0-9`, `-`, `_`, starting with a letter or
    /// digit. Names appear in URLs, metrics labels and HTTP basic auth (where `:` would end the user).
    public static func validName(_ name: String) -> Bool {
        guard (1...63).contains(name.utf8.count), let first = name.unicodeScalars.first else { return false }
        let lower = Unicode.Scalar("a")...Unicode.Scalar("z")
        let digit = Unicode.Scalar("0")...Unicode.Scalar("9")
        guard lower.contains(first) || digit.contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { lower.contains($0) || digit.contains($0) || $0 == "-" || $0 == "_" }
    }

    /// Throws ``TenantSettingError`` unless the name, the weight and every limit are valid.
    public func validate() throws {
        guard Self.validName(name) else {
            throw TenantSettingError(
                field: "name",
                message: "a tenant name is 1–63 characters of a-z, 0-9, - and _, starting with a letter or digit")
        }
        guard Self.weights.contains(weight) else {
            throw TenantSettingError(field: "weight", message: "weight must be within 0.001…1000")
        }
        try limits.validate()
    }
}

/// What one tenant may ask for; each `nil` is unlimited.
public struct TenantLimits: Sendable, Equatable, Codable {
    /// Jobs it may have queued at once.
    public var maxQueued: Int?
    /// Jobs it may have running at once.
    public var maxRunning: Int?
    /// Submits per second, sustained (a token bucket refilled at this rate).
    public var ratePerSecond: Double?
    /// Submits it may make at once after a pause (the bucket's size); the rate's whole seconds when not given.
    public var burst: Int?
    /// GPU seconds its jobs may use per UTC day.
    public var dailyGPUSeconds: Double?

    public init(
        maxQueued: Int? = nil, maxRunning: Int? = nil, ratePerSecond: Double? = nil, burst: Int? = nil,
        dailyGPUSeconds: Double? = nil
    ) {
        self.maxQueued = maxQueued
        self.maxRunning = maxRunning
        self.ratePerSecond = ratePerSecond
        self.burst = burst
        self.dailyGPUSeconds = dailyGPUSeconds
    }

    /// The rates a tenant may have: at least one submit in 1,000 seconds, at most a million a second.
    public static let rates: ClosedRange<Double> = 0.001...1_000_000
    /// The bursts a tenant may have.
    public static let bursts: ClosedRange<Int> = 1...1_000_000
    /// The daily GPU seconds a tenant may have: up to a billion (over 11,000 GPUs all day).
    public static let dailyGPUSecondsRange: ClosedRange<Double> = 0...1_000_000_000

    func validate() throws {
        if let maxQueued, maxQueued < 0 {
            throw TenantSettingError(field: "max_queued", message: "must not be negative")
        }
        if let maxRunning, maxRunning < 1 {
            throw TenantSettingError(field: "max_running", message: "must be at least 1")
        }
        if let ratePerSecond, !Self.rates.contains(ratePerSecond) {
            throw TenantSettingError(field: "rate_per_second", message: "a rate must be within 0.001…1000000 a second")
        }
        if let burst, !Self.bursts.contains(burst) {
            throw TenantSettingError(field: "burst", message: "a burst must be within 1…1000000")
        }
        if let dailyGPUSeconds, !Self.dailyGPUSecondsRange.contains(dailyGPUSeconds) {
            throw TenantSettingError(field: "daily_gpu_seconds", message: "must be within 0…1000000000")
        }
    }
}
