import DarkroomBench
import Foundation
import Testing

/// The deployment files as an operator gets them: the Dockerfile, compose file, Kubernetes manifests (every
/// overlay built by kustomize, then schema-checked, the KEDA ScaledObject against its vendored CRD schema),
/// the Prometheus configuration, alert rules and their unit tests, and the Grafana dashboard's queries. The
/// checks are the scripts in `deploy/checks/`; a tool they need that is missing fails them, never skips them.
@Suite(.timeLimit(.minutes(5)))
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

    /// Runs `bash script` from the repository root; its exit status and everything it printed. The timeout is a
    /// hang guard: under stress-ng the deployment checks took 150 s (Python schema checks of every overlay).
    private static func run(_ script: String) async throws -> (Int32, String) {
        try await RepositoryScript.run(["bash", script], timeout: .seconds(280))
    }
}
