import ArgumentParser
import DarkroomSimulator
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// `darkroom sim-backend`: a simulated GPU server that speaks the real SD WebUI (A1111) or ComfyUI
/// protocol, so Darkroom's backend clients can be tested and demoed without a GPU.
struct SimBackendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim-backend",
        abstract: "Run a simulated GPU server speaking the SD WebUI (A1111) or ComfyUI protocol."
    )

    @Option(name: .customLong("protocol"), help: "The server to imitate: a1111 or comfyui.")
    var serverProtocol: SimulatorProtocol

    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(help: "Port (default 7860 for a1111, 8188 for comfyui; 0 picks a free one and logs it).")
    var port: Int?

    @Option(help: "Simulated seconds per 1024×1024, 8-step image.")
    var seconds = 0.8

    @Option(help: "Fraction of requests that fail (a1111: 500 RuntimeError mid-run; comfyui: 500 on POST /prompt).")
    var failRate = 0.0

    @Option(help: "Fraction of generations that run out of GPU memory part way through.")
    var oomRate = 0.0

    @Option(
        help: """
            Bytes per PNG, as a real server answers (a 1024×1024 portrait is about 1500000); \
            default: a small gradient of a few kilobytes.
            """)
    var pngBytes: Int?

    @Option(
        name: .customLong("lora"), parsing: .singleValue,
        help: "A LoRA file the server has (repeatable; default AWPortrait-Z.safetensors).")
    var loras: [String] = []

    @Option(help: "comfyui: none (the default, as upstream) or latent2rgb, which sends a preview frame per step.")
    var previewMethod = "none"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        guard seconds >= 0, seconds.isFinite else { throw ValidationError("--seconds must be a number >= 0") }
        guard (0...1).contains(failRate) else { throw ValidationError("--fail-rate must be within 0…1") }
        guard (0...1).contains(oomRate) else { throw ValidationError("--oom-rate must be within 0…1") }
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be within 0…65535") }
        guard ["none", "latent2rgb"].contains(previewMethod) else {
            throw ValidationError("--preview-method must be none or latent2rgb")
        }
        do {
            try simulatorConfiguration.validate()
        } catch {
            throw ValidationError(error.description)
        }
    }

    private var simulatorConfiguration: SimulatorConfiguration {
        var configuration = SimulatorConfiguration(
            protocol: serverProtocol, secondsPerImage: seconds, failureRate: failRate, oomRate: oomRate,
            pngBytes: pngBytes)
        if !loras.isEmpty { configuration.loraFiles = loras }
        configuration.sendsPreviews = previewMethod == "latent2rgb"
        return configuration
    }

    func run() async throws {
        let logger = Bootstrap.logging(level: logLevel)
        let configuration = simulatorConfiguration
        let app = try SimulatedServer(configuration: configuration, logger: logger).application(
            host: host, port: port ?? serverProtocol.defaultPort,
            onServerRunning: { channel in
                logger.listening(on: channel)
                switch configuration.protocol {
                case .a1111: logger.info("Simulated SD WebUI (A1111) backend ready")
                case .comfyui: logger.info("Simulated ComfyUI backend ready")
                }
            })
        var groupConfiguration = ServiceGroupConfiguration(
            services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(10)
        try await ServiceGroup(configuration: groupConfiguration).run()
    }
}
