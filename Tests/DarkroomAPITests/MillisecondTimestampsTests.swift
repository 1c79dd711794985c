import Foundation
import OpenAPIRuntime
import Testing

@testable import DarkroomAPI

/// The API's own timestamp writer gives, character for character, what the OpenAPI runtime's ISO 8601 transcoder
/// gives, and reads what it reads.
@Suite struct MillisecondTimestampsTests {
    static let reference = ISO8601DateTranscoder.iso8601WithFractionalSeconds

    /// Whole milliseconds, halves (where rounding decides), fractions of every size, the epoch, a leap day and
    /// the decades either side of this one: a fixed spread, so a failure names instants that repeat.
    static let instants: [Double] = {
        var instants: [Double] = [0, 1.9995, 1.0005, 951_782_400.5, 1_796_688_621.9999, 4_102_444_799.999]
        for step in 0..<20_000 {
            let millisecond = Double(1_600_000_000_000 + (step * 15_485_863_731) % 300_000_000_000)
            instants.append(millisecond / 1000)
            instants.append(millisecond / 1000 + 0.000_5)
            instants.append((Double(step) * 205_111.137_035_999).truncatingRemainder(dividingBy: 4_102_444_800))
        }
        return instants
    }()

    @Test("every instant is written as the runtime's transcoder writes it")
    func matchesTheRuntime() throws {
        let transcoder = MillisecondTimestamps()
        var mismatches: [String] = []
        for instant in Self.instants {
            let date = Date(timeIntervalSince1970: instant)
            let ours = try transcoder.encode(date)
            let theirs = try Self.reference.encode(date)
            if ours != theirs { mismatches.append("\(instant): \(ours) ≠ \(theirs)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test("a written timestamp reads back to its millisecond")
    func readsBack() throws {
        let transcoder = MillisecondTimestamps()
        // An eighth of a second: a millisecond that a Double holds exactly, so it must come back exactly.
        let date = Date(timeIntervalSince1970: 1_796_688_621.125)
        let text = try transcoder.encode(date)
        #expect(text == "2026-12-08T00:10:21.125Z")
        #expect(try transcoder.decode(text) == date)
        #expect(throws: (any Error).self) { try transcoder.decode("yesterday") }
    }
}
