import Foundation
import Testing

@testable import DarkroomBench

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct ChildExitTests {
    @Test("a running child has not exited; once killed it has, and Foundation still reaps it with its status")
    func seesTheKernelsAnswer() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sleep")
        process.arguments = ["60"]
        try process.run()
        let pid = process.processIdentifier
        #expect(!ChildExit.hasExited(pid))
        #expect(!ChildExit.blockUntilExited(pid, timeout: .milliseconds(50)))

        kill(pid, SIGKILL)
        #expect(ChildExit.blockUntilExited(pid, timeout: .seconds(120)))
        // WNOWAIT left the child for Foundation: it reaps it and reports the signal.
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == SIGKILL)
        #expect(ChildExit.hasExited(pid))
    }
}
