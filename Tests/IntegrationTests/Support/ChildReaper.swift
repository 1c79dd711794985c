import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Ends the children that were told to stop: SIGKILL for any still running after its grace, and for all of
/// them when the test process exits, so no test ever leaves a process behind.
enum ChildReaper {
    /// Children told to stop and not yet seen gone, each with how to tell whether it still runs.
    private static let stopping = Mutex<[Int32: @Sendable () -> Bool]>([:])
    private static let exitHook: Void = { atexit { ChildReaper.killAll() } }()

    /// SIGKILLs `pid` after `grace` if `isRunning` still holds then; returns at once.
    static func killIfRunning(_ pid: Int32, after grace: Duration, isRunning: @escaping @Sendable () -> Bool) {
        _ = exitHook
        stopping.withLock { $0[pid] = isRunning }
        let milliseconds = Int(grace.components.seconds * 1000 + grace.components.attoseconds / 1_000_000_000_000_000)
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(milliseconds)) {
            finish(pid)
        }
    }

    private static func finish(_ pid: Int32) {
        guard let isRunning = stopping.withLock({ $0.removeValue(forKey: pid) }) else { return }
        if isRunning() { kill(pid, SIGKILL) }
    }

    private static func killAll() {
        for pid in stopping.withLock({ Array($0.keys) }) { finish(pid) }
    }
}
