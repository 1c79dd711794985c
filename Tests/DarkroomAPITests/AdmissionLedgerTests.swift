@testable import DarkroomAPI
import Testing

/// The ledger's own bookkeeping, on an injected clock: admissions since the figures were read are counted by
/// priority and forgotten after ``AdmissionLedger/memory``; a held place counts until its due time plus
/// ``AdmissionLedger/grace`` and not after, whatever order the places were held in.
@Suite struct AdmissionLedgerTests {
    let start = ContinuousClock.now

    /// What the ledger counts ahead of a job at `priority`, without a key.
    private func ahead(_ ledger: AdmissionLedger, _ priority: Int, after: Duration, at: Duration) -> Int {
        ledger.ahead(of: priority, after: start + after, now: start + at)
    }

    private func admit(_ ledger: AdmissionLedger, priority: Int, at: Duration) {
        ledger.admit(priority: priority, key: nil, after: start, now: start + at) { _, _ in ((), .admit) }
    }

    private func refuse(_ ledger: AdmissionLedger, key: String, holdSeconds: Double, at: Duration) {
        ledger.admit(priority: 0, key: key, after: start, now: start + at) { _, _ in
            ((), .refuse(holdSeconds: holdSeconds, overflow: false))
        }
    }

    @Test("admissions after the figures were read count ahead of jobs at their priority or lower")
    func admissionsSinceFigures() {
        let ledger = AdmissionLedger(delay: nil)
        admit(ledger, priority: 0, at: .seconds(1))
        admit(ledger, priority: 5, at: .seconds(2))
        admit(ledger, priority: 0, at: .seconds(3))
        #expect(ahead(ledger, 0, after: .zero, at: .seconds(4)) == 3)
        #expect(ahead(ledger, 1, after: .zero, at: .seconds(4)) == 1)
        #expect(ahead(ledger, 0, after: .seconds(2), at: .seconds(4)) == 1, "figures read at 2 s show the first two")
        #expect(ahead(ledger, 0, after: .seconds(3), at: .seconds(4)) == 0)
    }

    @Test("an admission older than the ledger's memory is forgotten at the next admission")
    func admissionsForgotten() {
        let ledger = AdmissionLedger(delay: nil)
        admit(ledger, priority: 0, at: .seconds(1))
        admit(ledger, priority: 0, at: .seconds(2))
        admit(ledger, priority: 0, at: AdmissionLedger.memory + .seconds(1.5))
        #expect(ahead(ledger, 0, after: .zero, at: AdmissionLedger.memory + .seconds(2)) == 2)
    }

    @Test("a held place counts until its due time and grace have passed, in whatever order places were held")
    func heldPlacesLapse() {
        let ledger = AdmissionLedger(delay: nil)
        refuse(ledger, key: "late", holdSeconds: 30, at: .zero)
        refuse(ledger, key: "early", holdSeconds: 5, at: .seconds(1))
        let grace = ledger.grace
        #expect(ahead(ledger, 0, after: .zero, at: .seconds(6) + grace) == 2, "early is due at 6 s, within grace")
        #expect(ahead(ledger, 0, after: .zero, at: .seconds(7) + grace) == 1, "early has lapsed, late has not")
        #expect(ahead(ledger, 0, after: .zero, at: .seconds(30) + grace) == 1)
        #expect(ahead(ledger, 0, after: .zero, at: .seconds(31) + grace) == 0)
        refuse(ledger, key: "again", holdSeconds: 1, at: .seconds(100))
        #expect(ahead(ledger, 0, after: .zero, at: .seconds(101) + grace) == 1, "a place held after others lapsed")
        #expect(ahead(ledger, 0, after: .zero, at: .seconds(102) + grace) == 0)
    }
}
