import ArgumentParser
import Foundation
import Logging

/// `darkroom serve`: gateway, workers, simulated GPUs (or real `--backend` servers) and the SQLite store
/// in one process.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the embedded server: REST API, queue, workers and simulated GPUs in one process."
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one and logs it).")
    var port = 8080

    @Option(help: "Directory for the job database and images; it survives restarts.")
    var dataDir = "./darkroom-data"

    @OptionGroup var simulation: SimulationOptions

    @OptionGroup var backends: BackendOptions

    @OptionGroup var autoscaling: AutoscalingOptions
    @OptionGroup var admission: AdmissionOptions
    @OptionGroup var connections: ConnectionOptions

    @OptionGroup var webhooks: WebhookOptions
    @OptionGroup var authentication: AuthOptions

    @Option(help: "Seconds an attempt may run before it is interrupted and retried.")
    var jobTimeout = 300.0

    @OptionGroup var retention: RetentionOptions

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be within 0…65535") }
        guard simulation.count(besides: backends.backends.count) + backends.backends.count >= 1 else {
            throw ValidationError("no GPU to run jobs on: give --backend KIND=URL or --sim-gpus N (N ≥ 1)")
        }
        guard jobTimeout > 0 else { throw ValidationError("--job-timeout must be positive") }
    }

    func run() async throws {
        let server = try EmbeddedServer(options: self, logger: Bootstrap.logging(level: logLevel))
        try await server.run()
    }
}
