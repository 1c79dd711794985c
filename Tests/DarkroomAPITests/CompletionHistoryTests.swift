import Foundation
import Testing

@testable import DarkroomAPI

/// The Queue view's line: one sample per wall-clock minute, the minute's last reading, for 15 minutes.
@Suite struct CompletionHistoryTests {
    /// A whole minute, so the readings below fall where the test says.
    let start = Date(timeIntervalSince1970: 1_800_000_000 - 1_800_000_000.truncatingRemainder(dividingBy: 60))

    @Test("a later reading of the same minute replaces the earlier; a new minute adds a sample")
    func oneSamplePerMinute() {
        let history = CompletionHistory()
        history.record(perMinute: 3, at: start.addingTimeInterval(5))
        history.record(perMinute: 4, at: start.addingTimeInterval(50))
        history.record(perMinute: 7, at: start.addingTimeInterval(65))
        let recent = history.recent(at: start.addingTimeInterval(70))
        #expect(recent.map(\.perMinute) == [4, 7])
        #expect(recent.map(\.at) == [start.addingTimeInterval(50), start.addingTimeInterval(65)])
    }

    @Test("samples older than 15 minutes are gone, and minutes nobody read in have none")
    func fifteenMinutes() {
        let history = CompletionHistory()
        for minute in [0, 1, 5, 15, 16] {
            history.record(perMinute: Double(minute), at: start.addingTimeInterval(Double(minute * 60)))
        }
        #expect(history.recent(at: start.addingTimeInterval(16 * 60)).map(\.perMinute) == [5, 15, 16])
        #expect(history.recent(at: start.addingTimeInterval(30 * 60)).map(\.perMinute) == [16])
    }
}
