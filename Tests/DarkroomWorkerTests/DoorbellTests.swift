import Testing

@testable import DarkroomWorker

/// The doorbell wakes every waiter on `ring()`, one idle waiter on `ringOnce()`, and never loses a ring that came
/// before the wait.
@Suite(.timeLimit(.minutes(5))) struct DoorbellTests {
    /// Starts a waiter that reports its name when it wakes; returns once it is asleep.
    static func sleeper(
        _ name: String, idle: Bool, on bell: Doorbell, woke: AsyncStream<String>.Continuation
    ) async -> Task<Void, Never> {
        let asleep = bell.waiting + 1
        let generation = bell.generation
        let task = Task {
            await bell.wait(after: generation, isIdle: idle)
            woke.yield(name)
        }
        while bell.waiting < asleep { await Task.yield() }
        return task
    }

    @Test("ringOnce wakes the idle waiter that waited longest, and leaves the others asleep")
    func wakesOneIdle() async {
        let bell = Doorbell()
        let (woke, wokeSink) = AsyncStream<String>.makeStream()
        let busy = await Self.sleeper("busy", idle: false, on: bell, woke: wokeSink)
        let first = await Self.sleeper("first idle", idle: true, on: bell, woke: wokeSink)
        let second = await Self.sleeper("second idle", idle: true, on: bell, woke: wokeSink)
        var names = woke.makeAsyncIterator()
        bell.ringOnce()
        #expect(await names.next() == "first idle")
        await first.value
        #expect(bell.waiting == 2, "the busy waiter and the second idle one sleep on")
        bell.ring()
        let rest = Set([await names.next(), await names.next()].compactMap { $0 })
        #expect(rest == ["busy", "second idle"])
        await busy.value
        await second.value
    }

    @Test("ringOnce with no idle waiter wakes every waiter")
    func wakesAllWhenNoneIdle() async {
        let bell = Doorbell()
        let (woke, wokeSink) = AsyncStream<String>.makeStream()
        let one = await Self.sleeper("one", idle: false, on: bell, woke: wokeSink)
        let two = await Self.sleeper("two", idle: false, on: bell, woke: wokeSink)
        bell.ringOnce()
        await one.value
        await two.value
        #expect(bell.waiting == 0)
        wokeSink.finish()
        #expect(await woke.reduce(into: Set<String>()) { $0.insert($1) } == ["one", "two"])
    }

    @Test("a ringOnce that no idle waiter heard wakes the next idle waiter at once, once")
    func keepsAnUnheardRing() async {
        let bell = Doorbell()
        let (woke, wokeSink) = AsyncStream<String>.makeStream()
        let busy = await Self.sleeper("busy", idle: false, on: bell, woke: wokeSink)
        bell.ringOnce()
        await busy.value
        // Read after the ring: only the kept ring can wake this waiter.
        await bell.wait(after: bell.generation, isIdle: true)
        let asleep = await Self.sleeper("later idle", idle: true, on: bell, woke: wokeSink)
        #expect(bell.waiting == 1, "the kept ring was for one waiter")
        bell.ringOnce()
        await asleep.value
        wokeSink.finish()
        #expect(await woke.reduce(into: [String]()) { $0.append($1) } == ["busy", "later idle"])
    }

    @Test("passOn wakes the idle waiter that waited longest and no busy one, and keeps nothing when none is idle")
    func passesOn() async {
        let bell = Doorbell()
        let (woke, wokeSink) = AsyncStream<String>.makeStream()
        let busy = await Self.sleeper("busy", idle: false, on: bell, woke: wokeSink)
        bell.passOn()
        #expect(bell.waiting == 1, "no idle waiter: the busy one sleeps on")
        let idle = await Self.sleeper("idle", idle: true, on: bell, woke: wokeSink)
        #expect(bell.waiting == 2, "the pass found no one and was not kept for this later waiter")
        bell.passOn()
        var names = woke.makeAsyncIterator()
        #expect(await names.next() == "idle")
        await idle.value
        bell.ring()
        await busy.value
    }

    @Test("a ring after the generation was read and before the wait is not lost")
    func ringBeforeWait() async {
        let bell = Doorbell()
        let generation = bell.generation
        bell.ringOnce()
        await bell.wait(after: generation, isIdle: true)
        #expect(bell.waiting == 0)
    }
}
