import DarkroomBench
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
    /// Children told to stop and not yet seen gone.
    private static let stopping = Mutex<Set<Int32>>([])
    private static let exitHook: Void = { atexit { ChildReaper.killAll() } }()

    /// SIGKILLs `pid` after `grace` unless it has exited by then; returns at once.
    static func killIfRunning(_ pid: Int32, after grace: Duration) {
        _ = exitHook
        stopping.withLock { _ = $0.insert(pid) }
        let milliseconds = Int(grace.components.seconds * 1000 + grace.components.attoseconds / 1_000_000_000_000_000)
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(milliseconds)) {
            finish(pid)
        }
    }

    private static func finish(_ pid: Int32) {
        guard stopping.withLock({ $0.remove(pid) }) != nil else { return }
        if !ChildExit.hasExited(pid) { kill(pid, SIGKILL) }
    }

    private static func killAll() {
        for pid in stopping.withLock({ $0 }) { finish(pid) }
    }
}
