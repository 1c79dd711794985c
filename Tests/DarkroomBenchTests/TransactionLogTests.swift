import DarkroomBench
import Testing

@Suite struct TransactionLogTests {
    private let emptyLog = TransactionLog(window: MeasurementWindow(start: .seconds(10), end: .seconds(20)))

    @Test("the window tally holds only what ended inside it; the whole-run tally holds everything")
    func windowAccounting() {
        var log = emptyLog
        for ended in [5.0, 10, 15, 20, 21] {
            #expect(log.begin() == true)
            log.record(transaction(ended: ended))
        }
        #expect(log.begin() == true)
        log.record(transaction(ended: 12, error: .timeout))
        #expect(log.wholeRun.ok == 5 && log.wholeRun.errors == 1)
        #expect(log.inWindow.ok == 3)
        #expect(log.inWindow.errorsByKind == ["timeout": 1])
        #expect(log.inFlight == 0)
    }

    @Test("after the stop nothing begins or counts: what ran then is in flight, not an error")
    func closeKeepsInFlight() {
        var log = emptyLog
        #expect(log.begin() == true)
        #expect(log.begin() == true)
        log.record(transaction(ended: 12))
        log.close(at: .seconds(20))
        let begun = log.begin()
        let recorded = log.record(transaction(ended: 20.5, error: .connection))
        #expect(!begun && !recorded)
        #expect(log.inFlight == 1)
        #expect(log.wholeRun.errors == 0)
        log.close(at: .seconds(25))
        #expect(log.stoppedAt == .seconds(20))
    }

    @Test("a stop before the window opens measures the whole run")
    func earlyStop() {
        var log = emptyLog
        #expect(log.begin() == true)
        log.record(transaction(ended: 3))
        let (window, tally) = log.measured(stoppedAt: .seconds(5))
        #expect(window == MeasurementWindow(start: .zero, end: .seconds(5)))
        #expect(tally.ok == 1)
        #expect(log.measured(stoppedAt: .seconds(15)).tally.ok == 0)
    }
}
