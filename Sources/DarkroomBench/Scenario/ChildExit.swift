#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whether a child process has ended, asked of the kernel rather than of `Foundation.Process`.
///
/// On Linux, `Process.isRunning` and `waitUntilExit()` learn of an exit from a monitoring socket that
/// Foundation reads on its own thread; that news can come seconds late, and for a child that exits at once
/// while others start it was seen not to come at all (swift-corelibs-foundation#4795 shows one way). `waitid`
/// with `WNOWAIT` sees the ended child and its status at once and leaves it unreaped, so Foundation may still
/// collect it as usual.
public enum ChildExit {
    /// How a child ended, as the kernel tells it.
    public enum Ending: Sendable, Equatable {
        /// It exited with this status.
        case exited(Int32)
        /// A signal ended it.
        case signaled(Int32)
        /// It was reaped already (by Foundation), so the kernel no longer knows; Foundation does.
        case reaped
    }

    /// How the child `pid` of this process ended; `nil` while it runs. Leaves it unreaped.
    ///
    /// The status comes from the kernel, so it is known at once: Foundation on Linux was seen to learn of a
    /// quick child's exit only after a minute, or not at all, while other children were starting.
    public static func ending(of pid: Int32) -> Ending? {
        var info = siginfo_t()
        let flags = WEXITED | WNOHANG | WNOWAIT
        if waitid(P_PID, id_t(pid), &info, flags) == -1 { return errno == ECHILD ? .reaped : nil }
        // WNOHANG with no change leaves `info` zeroed; an ended child fills in SIGCHLD.
        guard info.si_signo == SIGCHLD else { return nil }
        #if canImport(Glibc)
            let status = info._sifields._sigchld.si_status
        #else
            let status = info.si_status
        #endif
        return info.si_code == Int32(CLD_EXITED) ? .exited(status) : .signaled(status)
    }

    /// Whether the child `pid` of this process has exited or was killed.
    public static func hasExited(_ pid: Int32) -> Bool { ending(of: pid) != nil }

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
