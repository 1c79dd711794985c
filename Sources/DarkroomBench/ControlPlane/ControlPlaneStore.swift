import Foundation

/// The store a control-plane run measures, and the `darkroom` processes that serve it on loopback.
public enum ControlPlaneStore: Sendable, Equatable {
    /// `darkroom serve`: gateway and worker in one process over an embedded SQLite file.
    case sqlite
    /// `darkroom gateway` and `darkroom worker` as two processes over this PostgreSQL database (both migrate
    /// it on start), notified of each other's changes by `LISTEN/NOTIFY`.
    case postgres(url: String)
    /// A server the caller started and stops, at this base URL: nothing is started. Pointed at a server that
    /// answers every request alike at once (`benchmarks/control_plane_ceiling.py` uses nginx), it measures what
    /// the load generator itself can do and costs.
    case running(URL)

    /// `sqlite`, `postgres` or `running`, the run's name in the report.
    public var name: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgres"
        case .running: "running"
        }
    }

    /// The command lines (after the executable) of the servers to start, in order; the first one's address
    /// is the bench's target (none for ``running(_:)``). `slots` zero-work simulated GPUs; state and images under
    /// `directory`. The servers log at `notice`: the `info` lines for every job accepted, claimed and finished are
    /// off, as an operator running thousands of jobs a second would have them.
    public func servers(slots: Int, directory: URL) -> [[String]] {
        let simulated = ["--sim-gpus", String(slots), "--sim-seconds", "0", "--log-level", "notice"]
        switch self {
        case .sqlite:
            return [
                ["serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", directory.path] + simulated
            ]
        case .postgres(let url):
            let images = directory.appendingPathComponent("images").path
            return [
                [
                    "gateway", "--database-url", url, "--host", "127.0.0.1", "--port", "0", "--image-dir", images,
                    "--log-level", "notice", "--auth", "off",
                ],
                [
                    "worker", "--database-url", url, "--image-dir", images, "--name", "control-plane-bench",
                    "--metrics-host", "127.0.0.1", "--metrics-port", "0",
                ] + simulated,
            ]
        case .running:
            return []
        }
    }
}
