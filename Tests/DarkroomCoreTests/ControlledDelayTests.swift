import DarkroomCore
import Testing

@Suite struct ControlledDelayTests {
    let start = ContinuousClock.now

    @Test("a long queue alone is no standing queue; a deadline refusal makes it one, and the target applies")
    func standsOnOverflow() {
        var delay = ControlledDelay(target: 5)
        delay.observe(queued: 400, at: start + .seconds(60))
        #expect(delay.waitLimit == nil)
        delay.noteOverflow(at: start + .seconds(61))
        #expect(delay.waitLimit == 5)
        delay.observe(queued: 12, at: start + .seconds(62))
        #expect(delay.waitLimit == 5)
    }

    @Test("the queue seen empty after the overflow ends the standing queue; a reading from before it does not")
    func emptyEnds() {
        var delay = ControlledDelay(target: 5)
        delay.noteOverflow(at: start + .seconds(10))
        delay.observe(queued: 0, at: start + .seconds(9))
        #expect(delay.waitLimit == 5)
        delay.observe(queued: 0, at: start + .seconds(11))
        #expect(delay.waitLimit == nil)
    }

    @Test("later overflows keep the instant the queue began to stand")
    func firstOverflowKept() {
        var delay = ControlledDelay(target: 5)
        delay.noteOverflow(at: start + .seconds(10))
        delay.noteOverflow(at: start + .seconds(20))
        #expect(delay.standingSince == start + .seconds(10))
    }
}
