import Foundation
import Testing

@testable import DarkroomAPI

/// The Queue view's line: one sample per wall-clock minute, the minute's last reading, for 15 minutes. Every
/// reading is dated by the test (no clock is read), so the outcome is the same on any machine.
@Suite struct CompletionHistoryTests {
    /// A fixed date: `minute` minutes and `second` seconds after a whole minute (1,799,999,940 s since 1970).
    func at(minute: Int, second: Int = 0) -> Date {
        Date(timeIntervalSince1970: 1_799_999_940 + Double(minute * 60 + second))
    }

    @Test("a later reading of the same minute replaces the earlier; a new minute adds a sample")
    func oneSamplePerMinute() {
        let history = CompletionHistory()
        history.record(perMinute: 3, at: at(minute: 0, second: 5))
        history.record(perMinute: 4, at: at(minute: 0, second: 50))
        history.record(perMinute: 7, at: at(minute: 1, second: 5))
        let recent = history.recent(at: at(minute: 1, second: 10))
        #expect(recent.map(\.perMinute) == [4, 7])
        #expect(recent.map(\.at) == [at(minute: 0, second: 50), at(minute: 1, second: 5)])
    }

    @Test("samples older than 15 minutes are gone, and minutes nobody read in have none")
    func fifteenMinutes() {
        let history = CompletionHistory()
        for minute in [0, 1, 5, 15, 16] {
            history.record(perMinute: Double(minute), at: at(minute: minute))
        }
        #expect(history.recent(at: at(minute: 16)).map(\.perMinute) == [5, 15, 16])
        #expect(history.recent(at: at(minute: 30)).map(\.perMinute) == [16])
    }
}
