import Foundation
import OpenAPIRuntime

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The API's timestamps: RFC 3339 in UTC with milliseconds (`2026-12-07T23:30:21.123Z`), exactly what
/// ``OpenAPIRuntime/DateTranscoder/iso8601WithFractionalSeconds`` writes, at a tenth of its cost.
///
/// Every job the API answers or streams carries up to five timestamps, and `ISO8601DateFormatter` (behind a lock,
/// shared by every thread) was 2–4 % of the server's CPU under load (docs/benchmarks.md). Reading a timestamp is
/// rare (a client's input) and stays with the formatter.
struct MillisecondTimestamps: DateTranscoder {
    private let parser = ISO8601DateTranscoder.iso8601WithFractionalSeconds

    func encode(_ date: Date) throws -> String { Self.string(from: date) }

    func decode(_ dateString: String) throws -> Date { try parser.decode(dateString) }

    /// `date` to the nearest millisecond, as the formatter rounds it.
    static func string(from date: Date) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        var seconds = time_t((milliseconds / 1000).rounded(.down))
        let millisecond = Int(milliseconds - Double(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var text = DecimalText()
        text.append(Int(parts.tm_year) + 1900, digits: 4, then: "-")
        text.append(Int(parts.tm_mon) + 1, digits: 2, then: "-")
        text.append(Int(parts.tm_mday), digits: 2, then: "T")
        text.append(Int(parts.tm_hour), digits: 2, then: ":")
        text.append(Int(parts.tm_min), digits: 2, then: ":")
        text.append(Int(parts.tm_sec), digits: 2, then: ".")
        text.append(millisecond, digits: 3, then: "Z")
        return String(decoding: text.bytes, as: UTF8.self)
    }

    /// Zero-padded numbers, each followed by a separator.
    private struct DecimalText {
        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(24) }

        mutating func append(_ value: Int, digits: Int, then separator: Unicode.Scalar) {
            var divisor = 1
            for _ in 1..<digits { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
            bytes.append(UInt8(ascii: separator))
        }
    }
}
