import DarkroomCore
import Foundation
import Testing

@testable import DarkroomWorker

/// A job canceled between its claim and its attempt's start is still stopped: the cancel heard first is kept
/// for the attempt registered after it.
@Suite(.timeLimit(.minutes(1))) struct RunningJobsTests {
    @Test("a job stopped before its attempt registers interrupts that attempt at once")
    func stopBeforeRegister() async {
        let jobs = RunningJobs()
        let id = JobID.generate(now: Date())
        jobs.stop(id, because: .canceled)
        var interruptions = jobs.register(id).makeAsyncIterator()
        #expect(await interruptions.next() == .canceled)
        jobs.unregister(id)
        // Taken once: a second attempt of the same id (there is none for an ended job) is not stopped by it.
        let again = jobs.register(id)
        jobs.unregister(id)
        var rest = again.makeAsyncIterator()
        #expect(await rest.next() == nil)
    }

    @Test("a registered attempt is interrupted by stop, and an unrelated one is not")
    func stopWhileRunning() async {
        let jobs = RunningJobs()
        let running = JobID.generate(now: Date())
        let other = JobID.generate(now: Date())
        let stream = jobs.register(running)
        let otherStream = jobs.register(other)
        jobs.stop(running, because: .expired)
        var interruptions = stream.makeAsyncIterator()
        #expect(await interruptions.next() == .expired)
        jobs.unregister(other)
        var otherInterruptions = otherStream.makeAsyncIterator()
        #expect(await otherInterruptions.next() == nil)
        jobs.unregister(running)
    }

    @Test("stopped jobs with no attempt are remembered for a while, not forever")
    func forgetsOldStops() async {
        let jobs = RunningJobs(remembered: 2)
        let ids = (0..<5).map { _ in JobID.generate(now: Date()) }
        for id in ids { jobs.stop(id, because: .canceled) }
        // The first two made a generation that two younger generations have since replaced.
        let forgotten = jobs.register(ids[0])
        jobs.unregister(ids[0])
        var none = forgotten.makeAsyncIterator()
        #expect(await none.next() == nil)
        var kept = jobs.register(ids[4]).makeAsyncIterator()
        #expect(await kept.next() == .canceled)
        jobs.unregister(ids[4])
    }
}
