import DarkroomBench
import Testing

@Suite struct InterruptionRelayTests {
    @Test("an interruption reaches the current run's stream and every later one")
    func relays() async {
        let relay = InterruptionRelay()
        var first = relay.stream().makeAsyncIterator()
        #expect(!relay.isInterrupted)
        relay.interrupt()
        #expect(await first.next() != nil)
        #expect(relay.isInterrupted)
        var later = relay.stream().makeAsyncIterator()
        #expect(await later.next() != nil)
    }

    @Test("a new stream finishes the one before it")
    func replaces() async {
        let relay = InterruptionRelay()
        var first = relay.stream().makeAsyncIterator()
        _ = relay.stream()
        #expect(await first.next() == nil)
    }
}
