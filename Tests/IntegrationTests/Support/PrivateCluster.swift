import Foundation
import Testing

/// A gateway and, if asked, a worker of simulated GPUs on a ``PrivatePostgres``: the cluster for tests that stop
/// and start its database. Call ``stop()`` in a `defer`.
final class PrivateCluster {
    let postgres: PrivatePostgres
    let gateway: ServerProcess
    let worker: ServerProcess?
    private let images: TemporaryDirectory

    var api: APIClient { gateway.api }

    /// - Parameter workerOptions: the worker's options after its store and image directory (`--sim-gpus`, …);
    ///   `nil`: no worker.
    init(workerOptions: [String]? = nil) async throws {
        postgres = try await PrivatePostgres.start()
        images = try TemporaryDirectory()
        gateway = try await ServerProcess.launch([
            "gateway", "--database-url", postgres.url, "--port", "0", "--image-dir", images.url.path, "--auth", "off",
        ])
        if let workerOptions {
            worker = try await ServerProcess.launch(
                ["worker", "--database-url", postgres.url, "--image-dir", images.url.path, "--metrics-port", "0"]
                    + workerOptions)
        } else {
            worker = nil
        }
    }

    /// Runs `body`; when it throws, the failure also records the end of the gateway's and the worker's logs, so a
    /// run that failed on a loaded machine says what the processes did.
    func explaining<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            Issue.record(
                """
                --- gateway log (end) ---
                \(gateway.log.suffix(3000))
                --- worker log (end) ---
                \(worker?.log.suffix(6000) ?? "no worker")
                """)
            throw error
        }
    }

    func stop() {
        worker?.stop()
        gateway.stop()
        images.remove()
    }

    /// Waits until the gateway reads the store again after the database came back (a list, which no cache answers).
    func waitUntilGatewayReads() async throws {
        let api = self.api
        _ = try await waitUntil("the gateway reads again", timeout: .seconds(60)) {
            (try? await api.get("/v1/jobs?limit=1"))?.status == 200 ? true : nil
        }
    }
}
