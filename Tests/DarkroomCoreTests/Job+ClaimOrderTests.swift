import DarkroomCore
import Foundation
import Testing

@Suite struct JobClaimOrderTests {
    let epoch = Date(timeIntervalSince1970: 1_700_000_000)

    func job(_ id: String, priority: Int = Priority.default, createdAfter seconds: Double = 0) -> Job {
        let createdAt = epoch.addingTimeInterval(seconds)
        return Job(
            id: JobID(rawValue: id), priority: priority, request: GenerationRequest(prompt: "p", seed: 1),
            runAfter: createdAt, createdAt: createdAt
        )
    }

    @Test("a higher priority is claimed first, however young")
    func priorityFirst() {
        let urgentButNew = job("b", priority: 9, createdAfter: 60)
        let normalButOld = job("a", priority: 5, createdAfter: 0)
        #expect(Job.isClaimedBefore(urgentButNew, normalButOld))
        #expect(!Job.isClaimedBefore(normalButOld, urgentButNew))
    }

    @Test("within a priority the older job is claimed first, whatever its id")
    func olderFirst() {
        let old = job("z", createdAfter: 0)
        let young = job("a", createdAfter: 1)
        #expect(Job.isClaimedBefore(old, young))
        #expect(!Job.isClaimedBefore(young, old))
    }

    @Test("with the same priority and age the smaller id is claimed first")
    func idBreaksTies() {
        let first = job("0190b3c4-0000-7000-8000-000000000001")
        let second = job("0190b3c4-0000-7000-8000-000000000002")
        #expect(Job.isClaimedBefore(first, second))
        #expect(!Job.isClaimedBefore(second, first))
    }

    @Test("a job is not claimed before itself")
    func irreflexive() {
        let only = job("a", priority: 3, createdAfter: 5)
        #expect(!Job.isClaimedBefore(only, only))
    }

    @Test("sorting a shuffled queue gives priority, then age, then id order")
    func sortsQueue() {
        let expected = [
            job("h", priority: 9, createdAfter: 30),
            job("c", priority: 7, createdAfter: 0),
            job("a", priority: 7, createdAfter: 10),
            job("b", priority: 7, createdAfter: 10),
            job("g", priority: 5, createdAfter: 0),
            job("d", priority: 0, createdAfter: 0),
        ]
        for _ in 0..<10 {
            let sorted = expected.shuffled().sorted(by: Job.isClaimedBefore)
            #expect(sorted.map(\.id) == expected.map(\.id))
        }
    }
}
