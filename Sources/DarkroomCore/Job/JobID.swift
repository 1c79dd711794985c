import Foundation

/// A job's identifier: a UUIDv7 rendered in lowercase, so identifiers sort by creation time.
///
/// The first 48 bits are the Unix time in milliseconds at submission; the rest is random.
/// Identifiers that arrive from outside are parsed with ``init(parsing:)`` and never trusted blindly.
public struct JobID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The canonical lowercase UUID text.
    public let rawValue: String

    /// Wraps text that is already known to be a canonical job identifier (read from the store).
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Parses identifier text from a client; `nil` when it is not a UUID.
    public init?(parsing text: String) {
        guard let uuid = UUID(uuidString: text) else { return nil }
        self.rawValue = uuid.uuidString.lowercased()
    }

    /// A new time-ordered identifier for a job submitted at `now`.
    ///
    /// Identifiers made by one process never go backwards: within one millisecond (or if the clock steps
    /// back) a 12-bit counter in the `rand_a` field keeps them increasing, as RFC 9562 §6.2 allows.
    public static func generate(now: Date) -> JobID {
        let (milliseconds, sequence) = JobIDSequence.shared.next(milliseconds: unixMilliseconds(now))
        var generator = SystemRandomNumberGenerator()
        return make(milliseconds: milliseconds, sequence: sequence, using: &generator)
    }

    /// A new time-ordered identifier drawing all its random bits from `generator` (no per-process ordering).
    public static func generate(now: Date, using generator: inout some RandomNumberGenerator) -> JobID {
        make(milliseconds: unixMilliseconds(now), sequence: UInt16.random(in: 0...0x0FFF, using: &generator), using: &generator)
    }

    private static func unixMilliseconds(_ date: Date) -> UInt64 {
        UInt64(max(0, date.timeIntervalSince1970 * 1000))
    }

    private static func make(
        milliseconds: UInt64, sequence: UInt16, using generator: inout some RandomNumberGenerator
    ) -> JobID {
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 {
            bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - UInt64(index))))
        }
        bytes[6] = 0x70 | UInt8(truncatingIfNeeded: sequence >> 8 & 0x0F)  // version 7 + counter high bits
        bytes[7] = UInt8(truncatingIfNeeded: sequence)
        for index in 8..<16 {
            bytes[index] = UInt8.random(in: 0...255, using: &generator)
        }
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 9562 variant
        let uuid = UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
        return JobID(rawValue: uuid.uuidString.lowercased())
    }

    public static func < (lhs: JobID, rhs: JobID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
