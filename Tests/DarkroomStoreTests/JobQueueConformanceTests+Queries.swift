import DarkroomCore
import DarkroomStore
import Foundation
import Testing

extension JobQueueConformanceTests {
    @Test("list pages newest first and visits every job once", arguments: StoreKind.allCases)
    func listPages(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        var inserted: [JobID] = []
        for index in 0..<7 { inserted.append(try await fixture.insertJob(createdOffset: Double(index)).id) }
        var seen: [JobID] = []
        var cursor: JobID?
        repeat {
            let page = try await fixture.store.list(ListParams(limit: 3, cursor: cursor))
            #expect(page.jobs.count <= 3)
            seen += page.jobs.map(\.id)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(seen == inserted.reversed())
    }

    @Test("list filters by state", arguments: StoreKind.allCases)
    func listFilters(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let running = try await fixture.insertRunningJob()
        let queued = try await fixture.insertJob(createdOffset: 5)
        #expect(try await fixture.store.list(ListParams(state: .queued)).jobs.map(\.id) == [queued.id])
        #expect(try await fixture.store.list(ListParams(state: .running)).jobs.map(\.id) == [running.id])
        #expect(try await fixture.store.list(ListParams(state: .failed)).jobs.isEmpty)
    }

    @Test("position counts the queued jobs a claim would take first", arguments: StoreKind.allCases)
    func position(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let first = try await fixture.insertJob(priority: 5, createdOffset: 0)
        let second = try await fixture.insertJob(priority: 5, createdOffset: 1)
        let urgent = try await fixture.insertJob(priority: 9, createdOffset: 2)
        #expect(try await fixture.store.position(of: urgent.id) == 0)
        #expect(try await fixture.store.position(of: first.id) == 1)
        #expect(try await fixture.store.position(of: second.id) == 2)
        _ = try await fixture.claim(offset: 3)
        #expect(try await fixture.store.position(of: urgent.id) == nil)
        #expect(try await fixture.store.position(of: second.id) == 1)
    }

    @Test(
        "position counts at most the limit: higher priorities first, then earlier jobs of its own",
        arguments: StoreKind.allCases)
    func positionLimit(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        for offset in 0..<3 { _ = try await fixture.insertJob(priority: 9, createdOffset: Double(10 + offset)) }
        for offset in 0..<4 { _ = try await fixture.insertJob(priority: 5, createdOffset: Double(offset)) }
        let target = try await fixture.insertJob(priority: 5, createdOffset: 5)
        _ = try await fixture.insertJob(priority: 5, createdOffset: 6)  // behind: never counted
        _ = try await fixture.insertJob(priority: 1, createdOffset: 0)  // lower priority: never counted
        #expect(try await fixture.store.position(of: target.id, countingAtMost: 2) == 2)
        #expect(try await fixture.store.position(of: target.id, countingAtMost: 3) == 3)
        #expect(try await fixture.store.position(of: target.id, countingAtMost: 5) == 5)
        #expect(try await fixture.store.position(of: target.id, countingAtMost: 100) == 7)
        #expect(try await fixture.store.position(of: target.id) == 7)
    }

    @Test("stats counts states and recent service and latency means", arguments: StoreKind.allCases)
    func stats(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let running = try await fixture.insertRunningJob(offset: 10)  // created at 0, started at 10
        _ = try await fixture.store.complete(
            CompleteParams(lease: try #require(LeaseRef(running)), images: [], now: fixture.at(12)))
        try await fixture.insertJob(createdOffset: 20)
        _ = try await fixture.insertJob(priority: 9, createdOffset: 21)
        _ = try await fixture.insertJob(priority: 9, createdOffset: 22)
        let stats = try await fixture.store.stats(StatsParams(recentSince: fixture.at(0)))
        #expect(stats.count(.succeeded) == 1)
        #expect(stats.count(.queued) == 3)
        #expect(stats.queuedByPriority == [5: 1, 9: 2], "running and finished jobs are not queued")
        #expect(stats.recentSucceeded == 1)
        #expect(abs(stats.recentMeanServiceSeconds - 2) < 0.01)
        #expect(abs(stats.recentMeanLatencySeconds - 12) < 0.01)
        let later = try await fixture.store.stats(StatsParams(recentSince: fixture.at(13)))
        #expect(later.recentSucceeded == 0)
        #expect(later.recentMeanServiceSeconds == 0)
    }

    @Test(
        "the mean service time is the server's time on a job where the worker recorded it",
        arguments: StoreKind.allCases)
    func statsUseServiceTime(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let claimedAhead = try await fixture.insertRunningJob(offset: 10)
        _ = try await fixture.store.complete(
            CompleteParams(
                lease: try #require(LeaseRef(claimedAhead)), images: [], serviceTime: .milliseconds(1_500),
                now: fixture.at(13)))
        let plain = try await fixture.insertRunningJob(offset: 20)
        _ = try await fixture.store.complete(
            CompleteParams(lease: try #require(LeaseRef(plain)), images: [], now: fixture.at(22.5)))
        let stats = try await fixture.store.stats(StatsParams(recentSince: fixture.at(0)))
        #expect(abs(stats.recentMeanServiceSeconds - 2) < 0.01, "mean of 1.5 s (recorded) and 2.5 s (timestamps)")
    }

    @Test("deleteFinished removes only jobs that finished before the cut-off", arguments: StoreKind.allCases)
    func retention(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let old = try await fixture.insertJob()
        _ = try await fixture.store.cancel(CancelParams(id: old.id, now: fixture.at(10)))
        let recent = try await fixture.insertJob(createdOffset: 1)
        _ = try await fixture.store.cancel(CancelParams(id: recent.id, now: fixture.at(100)))
        let waiting = try await fixture.insertJob(createdOffset: 2)
        let deleted = try await fixture.store.deleteFinished(DeleteFinishedParams(finishedBefore: fixture.at(50)))
        #expect(deleted.map(\.id) == [old.id])
        #expect(try await fixture.store.job(id: old.id) == nil)
        #expect(try await fixture.store.job(id: recent.id) != nil)
        #expect(try await fixture.store.job(id: waiting.id) != nil)
    }

    @Test("deleteFinished of one job removes it once finished, and nothing else", arguments: StoreKind.allCases)
    func deleteOneJob(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let finished = try await fixture.insertJob()
        _ = try await fixture.store.cancel(CancelParams(id: finished.id, now: fixture.at(10)))
        let other = try await fixture.insertJob(createdOffset: 1)
        _ = try await fixture.store.cancel(CancelParams(id: other.id, now: fixture.at(5)))
        let waiting = try await fixture.insertJob(createdOffset: 2)

        #expect(try await fixture.store.deleteFinished(.job(waiting.id)).isEmpty, "a queued job stays")
        let deleted = try await fixture.store.deleteFinished(.job(finished.id))
        #expect(deleted.map(\.id) == [finished.id])
        #expect(try await fixture.store.job(id: finished.id) == nil)
        #expect(try await fixture.store.job(id: other.id) != nil, "the older finished job stays")
        #expect(try await fixture.store.job(id: waiting.id) != nil)
    }
}
