import DarkroomCore
import DarkroomStore
@testable import DarkroomWorker
import Synchronization
import Testing

/// A finished job's outcome is tried again while the store is unavailable and the lease may still hold, and
/// given up once it certainly does not.
@Suite struct LeaseTermTests {
    /// Counts calls; fails the first `failures` with `error`, then answers `done`.
    final class Flaky: Sendable {
        private let calls = Mutex(0)
        let failures: Int
        let error: JobStoreError

        init(failures: Int, error: JobStoreError = .unavailable(detail: "down")) {
            self.failures = failures
            self.error = error
        }

        var count: Int { calls.withLock { $0 } }

        func call() throws -> String {
            let number = calls.withLock { calls in
                calls += 1
                return calls
            }
            if number <= failures { throw error }
            return "done"
        }
    }

    @Test("an unavailable store is tried again until it answers, while the lease may hold")
    func retriesWhileLeased() async throws {
        let term = LeaseTerm(duration: .seconds(60))
        let flaky = Flaky(failures: 3)
        let delays = Mutex<[Duration]>([])
        let answer = try await term.keepTrying({ try flaky.call() }, retrying: { _, delay in delays.withLock { $0.append(delay) } })
        #expect(answer == "done")
        #expect(flaky.count == 4)
        #expect(delays.withLock { $0 } == [.milliseconds(100), .milliseconds(200), .milliseconds(400)])
    }

    @Test("past the lease's certain end nothing is tried again: the rescuer's re-run is the right one")
    func givesUpAfterLease() async throws {
        let term = LeaseTerm(duration: .zero)
        let flaky = Flaky(failures: 10)
        await #expect(throws: JobStoreError.self) { try await term.keepTrying { try flaky.call() } }
        #expect(flaky.count == 1)
    }

    @Test("any other error, such as a lost lease, is not tried again")
    func otherErrorsAreFinal() async throws {
        let term = LeaseTerm(duration: .seconds(60))
        let flaky = Flaky(failures: 10, error: .leaseLost(JobID(rawValue: "j")))
        await #expect(throws: JobStoreError.self) { try await term.keepTrying { try flaky.call() } }
        #expect(flaky.count == 1)
    }

    @Test("a heartbeat's answer moves the certain end on; an older one never moves it back")
    func extending() {
        let start = ContinuousClock.now
        let term = LeaseTerm(duration: .seconds(30), extended: start)
        #expect(term.certainEnd == start + .seconds(30))
        term.extended(at: start + .seconds(10))
        #expect(term.certainEnd == start + .seconds(40))
        term.extended(at: start + .seconds(5))
        #expect(term.certainEnd == start + .seconds(40))
    }
}
