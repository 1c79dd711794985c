import Foundation
import Testing

@testable import DarkroomCore

/// Uses private sequences: the shared one must only ever see the real clock, since every test in the process uses it.
@Suite struct JobIDSequenceTests {
    @Test("pairs made in the same millisecond still increase")
    func sameMillisecondIncreases() {
        let sequence = JobIDSequence()
        var previous = sequence.next(milliseconds: 1_000)
        for _ in 0..<5_000 {
            let next = sequence.next(milliseconds: 1_000)
            #expect(next > previous)
            previous = next
        }
    }

    @Test("a clock that steps back a little does not make pairs go backwards")
    func clockStepsBackALittle() {
        let sequence = JobIDSequence()
        let later = sequence.next(milliseconds: 20_000)
        let earlier = sequence.next(milliseconds: 19_995)
        #expect(earlier > later)
        #expect(earlier.milliseconds == 20_000)
    }

    @Test("a clock that steps back a lot is believed")
    func clockStepsBackALot() {
        let sequence = JobIDSequence()
        _ = sequence.next(milliseconds: 20_000)
        #expect(sequence.next(milliseconds: 5_000).milliseconds == 5_000)
    }
}
