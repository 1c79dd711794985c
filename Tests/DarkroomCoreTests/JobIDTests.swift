import DarkroomCore
import Foundation
import Testing

@Suite struct JobIDTests {
    /// A deterministic generator, so an identifier's random bits are repeatable.
    struct CountingGenerator: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            return state
        }
    }

    /// A generator that always returns the same word, to pin the random bits high or low.
    struct ConstantGenerator: RandomNumberGenerator {
        let value: UInt64

        mutating func next() -> UInt64 { value }
    }

    let now = Date(timeIntervalSince1970: 1_700_000_000.5)

    @Test("a generated id is a lowercase version-7 UUID that parses back to itself")
    func generatedShape() throws {
        let id = JobID.generate(now: now)
        let text = id.rawValue
        #expect(text.count == 36)
        #expect(text == text.lowercased())
        #expect(id.description == text)
        let uuid = try #require(UUID(uuidString: text))
        #expect(uuid.uuid.6 >> 4 == 7)
        #expect(uuid.uuid.8 >> 6 == 0b10)
        #expect(JobID(parsing: text) == id)
    }

    @Test("the first 48 bits are the Unix time in milliseconds")
    func timestampPrefix() {
        let id = JobID.generate(now: now)
        let milliseconds = String(UInt64(1_700_000_000_500), radix: 16)
        let prefix = String(repeating: "0", count: 12 - milliseconds.count) + milliseconds
        let digits = id.rawValue.replacingOccurrences(of: "-", with: "")
        #expect(digits.hasPrefix(prefix))
    }

    @Test("two ids generated at the same time differ")
    func unique() {
        let ids = Set((0..<100).map { _ in JobID.generate(now: now) })
        #expect(ids.count == 100)
    }

    @Test("the same time and random bits give the same id")
    func deterministic() {
        var first = CountingGenerator(state: 1)
        var second = CountingGenerator(state: 1)
        #expect(JobID.generate(now: now, using: &first) == JobID.generate(now: now, using: &second))
    }

    @Test("ids generated at increasing times sort in time order")
    func sortsByTime() {
        let times = (0..<50).map { now.addingTimeInterval(Double($0) * 0.25) }
        // Generated out of order on purpose, so only the time prefix (not the process sequence) can order them.
        var generator = SystemRandomNumberGenerator()
        let ids = times.shuffled().map { ($0, JobID.generate(now: $0, using: &generator)) }
        let byID = ids.sorted { $0.1 < $1.1 }.map(\.0)
        #expect(byID == times)
    }

    @Test("a later id sorts after an earlier one whatever its random bits")
    func timeBeatsRandomBits() {
        var high = ConstantGenerator(value: .max)
        var low = ConstantGenerator(value: 0)
        let earlier = JobID.generate(now: now, using: &high)
        let later = JobID.generate(now: now.addingTimeInterval(0.25), using: &low)
        #expect(earlier < later)
        #expect(!(later < earlier))
    }

    @Test(
        "parsing rejects text that is not a UUID",
        arguments: [
            "", "job-1", "123", "0190b3c4-5d6e-7f80-9a1b-2c3d4e5f6a7", "0190b3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b0",
            "0190b3c4-5d6e-7f80-9a1b-2c3d4e5f6g7b", "0190b3c45d6e7f809a1b2c3d4e5f6a7b0000",
            " 0190b3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b", "../0190b3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b",
        ]
    )
    func parsingRejects(text: String) {
        #expect(JobID(parsing: text) == nil)
    }

    @Test("parsing lowercases an uppercase UUID")
    func parsingLowercases() throws {
        let id = try #require(JobID(parsing: "0190B3C4-5D6E-7F80-9A1B-2C3D4E5F6A7B"))
        #expect(id.rawValue == "0190b3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b")
        #expect(JobID(parsing: "0190b3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b") == id)
    }

    @Test("an id encodes as its bare text and decodes back")
    func codable() throws {
        let id = JobID.generate(now: now)
        let data = try JSONEncoder().encode([id])
        #expect(String(decoding: data, as: UTF8.self) == "[\"\(id.rawValue)\"]")
        #expect(try JSONDecoder().decode([JobID].self, from: data) == [id])
    }
}
