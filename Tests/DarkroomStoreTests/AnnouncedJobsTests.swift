import Testing

@testable import DarkroomStore

struct AnnouncedJobsTests {
    @Test("ids noted between reads come out once each, in the order first noted")
    func coalesces() {
        let announced = AnnouncedJobs()
        for id in ["a", "b", "a", "c", "b"] { announced.add(id) }
        #expect(announced.takeAll() == ["a", "b", "c"])
        #expect(announced.takeAll().isEmpty)
    }

    @Test("any number of announcements during a read cost one more batch; finishing ends the batches")
    func batches() async {
        let announced = AnnouncedJobs()
        announced.add("a")
        var iterator = announced.batches().makeAsyncIterator()
        #expect(await iterator.next() == ["a"])
        for id in ["b", "c", "b"] { announced.add(id) }
        announced.finish()
        #expect(await iterator.next() == ["b", "c"])
        #expect(await iterator.next() == nil)
    }
}
