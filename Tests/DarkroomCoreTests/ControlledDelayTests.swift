import DarkroomCore
import Testing

@Suite struct ControlledDelayTests {
    let start = ContinuousClock.now

    @Test("a queue that never empties for longer than the interval stands, and the target limits the wait")
    func standing() {
        var delay = ControlledDelay(target: 5, interval: 10, start: start)
        delay.observe(queued: 12, at: start + .seconds(4))
        #expect(delay.waitLimit(at: start + .seconds(10)) == nil)
        #expect(delay.waitLimit(at: start + .seconds(11)) == 5)
    }

    @Test("seeing the queue empty ends the standing queue until another interval passes")
    func emptyResets() {
        var delay = ControlledDelay(target: 5, interval: 10, start: start)
        #expect(delay.isStanding(at: start + .seconds(30)))
        delay.observe(queued: 0, at: start + .seconds(30))
        #expect(!delay.isStanding(at: start + .seconds(35)))
        #expect(delay.isStanding(at: start + .seconds(41)))
    }

    @Test("an older reading of an empty queue does not move the last empty instant back")
    func olderReadingIgnored() {
        var delay = ControlledDelay(target: 5, interval: 10, start: start)
        delay.observe(queued: 0, at: start + .seconds(20))
        delay.observe(queued: 0, at: start + .seconds(3))
        #expect(delay.lastEmpty == start + .seconds(20))
    }
}
