import DarkroomBench
import Foundation
import Testing

/// The deployment files as an operator gets them: the Dockerfile, compose file, Kubernetes manifests (every
/// overlay built by kustomize, then schema-checked, the KEDA ScaledObject against its vendored CRD schema),
/// the Prometheus configuration, alert rules and their unit tests, and the Grafana dashboard's queries. The
/// checks are the scripts in `deploy/checks/`; a tool they need that is missing fails them, never skips them.
@Suite(.timeLimit(.minutes(3)))
struct DeployChecksTests {
    @Test("deploy/checks/deploy.sh: Dockerfile, compose file, Kubernetes manifests and the KEDA ScaledObject")
    func deployment() async throws {
        let (status, output) = try await Self.run("deploy/checks/deploy.sh")
        #expect(status == 0, "\(output)")
        #expect(output.contains("all deployment checks passed"), "\(output)")
    }

    @Test("deploy/checks/monitoring.sh: Prometheus config, alert rules and their tests, Grafana queries")
    func monitoring() async throws {
        let (status, output) = try await Self.run("deploy/checks/monitoring.sh")
        #expect(status == 0, "\(output)")
        #expect(output.contains("0 failed"), "\(output)")
    }

    /// The repository's root, where the scripts expect to run.
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Runs `bash script` from the repository root; its exit status and everything it printed.
    private static func run(_ script: String) async throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script]
        process.currentDirectoryURL = root
        let output = CapturedOutput()
        process.standardOutput = output.pipe
        process.standardError = output.pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer { if !ChildExit.hasExited(process.processIdentifier) { process.terminate() } }
        do {
            _ = try await waitUntil("\(script) ends", timeout: .seconds(150), every: .milliseconds(50)) {
                ChildExit.hasExited(process.processIdentifier) ? true : nil
            }
        } catch is WaitTimedOut {
            return (-1, "did not end within 150 s; its output so far:\n\(output.text)")
        }
        // A tool it started may still hold the pipe for a moment; the output is complete when it closes.
        _ = try? await waitUntil("the output of \(script) is read", timeout: .seconds(5), every: .milliseconds(20)) {
            output.isClosed ? true : nil
        }
        process.waitUntilExit()  // reaped already: returns at once
        return (process.terminationStatus, output.text)
    }
}
