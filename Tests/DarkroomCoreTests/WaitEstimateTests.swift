import DarkroomCore
import Testing

@Suite struct WaitEstimateTests {
    /// A queue position, the farm's capacity, the mean service time and the expected wait.
    struct Row: Sendable, CustomTestStringConvertible {
        let position: Int
        let slots: Int
        let busySlots: Int
        let meanServiceSeconds: Double
        let expected: Double

        var testDescription: String {
            "position \(position), \(busySlots)/\(slots) busy, S \(meanServiceSeconds) → \(expected) s"
        }
    }

    static let rows: [Row] = [
        Row(position: 0, slots: 4, busySlots: 0, meanServiceSeconds: 10, expected: 0),
        Row(position: 3, slots: 4, busySlots: 0, meanServiceSeconds: 10, expected: 0),
        Row(position: 4, slots: 4, busySlots: 0, meanServiceSeconds: 10, expected: 2.5),
        Row(position: 1, slots: 4, busySlots: 3, meanServiceSeconds: 10, expected: 2.5),
        Row(position: 0, slots: 4, busySlots: 4, meanServiceSeconds: 10, expected: 2.5),
        Row(position: 7, slots: 4, busySlots: 4, meanServiceSeconds: 10, expected: 20),
        Row(position: 5, slots: 2, busySlots: 2, meanServiceSeconds: 10, expected: 30),
        Row(position: 2, slots: 1, busySlots: 0, meanServiceSeconds: 12, expected: 24),
        Row(position: 0, slots: 1, busySlots: 1, meanServiceSeconds: 0.8, expected: 0.8),
        // More busy slots than slots (a shrinking farm) counts as no free slot.
        Row(position: 0, slots: 2, busySlots: 3, meanServiceSeconds: 10, expected: 5),
        // Nothing to serve with, or nothing measured yet: no estimate.
        Row(position: 9, slots: 0, busySlots: 0, meanServiceSeconds: 10, expected: 0),
        Row(position: 9, slots: 4, busySlots: 4, meanServiceSeconds: 0, expected: 0),
    ]

    @Test("the wait is (p − f + 1) × S / n once the free slots are taken", arguments: rows)
    func seconds(_ row: Row) {
        let capacity = Capacity(slots: row.slots, busySlots: row.busySlots)
        let wait = WaitEstimate.seconds(
            position: row.position, capacity: capacity, meanServiceSeconds: row.meanServiceSeconds
        )
        #expect(abs(wait - row.expected) < 1e-9)
    }

    @Test("a later position never waits less")
    func monotonic() throws {
        let capacity = Capacity(slots: 3, busySlots: 1)
        let waits = (0..<20).map { WaitEstimate.seconds(position: $0, capacity: capacity, meanServiceSeconds: 6) }
        #expect(waits == waits.sorted())
        #expect(try #require(waits.last) > 0)
    }
}
