#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whether a child process has ended, asked of the kernel rather than of `Foundation.Process`.
///
/// On Linux, `Process.isRunning` and `waitUntilExit()` learn of an exit from a monitoring socket that
/// Foundation reads on its own thread; on a loaded machine that news can come seconds late
/// (swift-corelibs-foundation#4795 shows a way it never comes). `waitid` with `WNOWAIT` sees the ended
/// child at once and leaves it unreaped, so Foundation still collects its status as usual.
public enum ChildExit {
    /// Whether the child `pid` of this process has exited or was killed.
    public static func hasExited(_ pid: Int32) -> Bool {
        var info = siginfo_t()
        let flags = WEXITED | WNOHANG | WNOWAIT
        let answer = waitid(P_PID, id_t(pid), &info, flags)
        // ECHILD: already reaped (by Foundation), so certainly gone.
        if answer == -1 { return errno == ECHILD }
        // WNOHANG with no change leaves `info` zeroed; an ended child fills in SIGCHLD.
        return info.si_signo == SIGCHLD
    }

    /// Polls ``hasExited(_:)`` until it holds or `timeout` passes; returns whether the child is gone.
    ///
    /// Blocks the calling thread: for `defer` and deinit, which cannot await.
    public static func blockUntilExited(_ pid: Int32, timeout: Duration) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while !hasExited(pid) {
            guard clock.now < deadline else { return false }
            usleep(10_000)
        }
        return true
    }

    /// Sends `signal`, then SIGKILL if the child has not exited within `grace`; returns once it is gone (at
    /// most 30 s after the SIGKILL). Nothing is sent to a child that has exited already.
    ///
    /// Blocks the calling thread: for `defer` and deinit, which cannot await.
    public static func terminate(_ pid: Int32, with signal: Int32 = SIGTERM, grace: Duration) {
        guard !hasExited(pid) else { return }
        kill(pid, signal)
        if !blockUntilExited(pid, timeout: grace) {
            kill(pid, SIGKILL)
            _ = blockUntilExited(pid, timeout: .seconds(30))
        }
    }
}
