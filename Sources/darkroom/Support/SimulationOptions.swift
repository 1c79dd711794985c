import ArgumentParser
import DarkroomBackends
import DarkroomSimulator

/// The simulated GPUs a process runs: `--sim-gpus`, `--sim-seconds`, `--sim-failure-rate`.
///
/// Without `--sim-gpus` a process runs two simulated GPUs, unless it was given real servers with `--backend`.
struct SimulationOptions: ParsableArguments {
    @Option(
        name: .customLong("sim-gpus"),
        help: "Number of simulated GPUs, one slot each (default 2, or 0 when --backend is given).")
    var simGPUs: Int?

    @Option(help: "Simulated seconds per 1024×1024, 8-step image.")
    var simSeconds = 0.8

    @Option(help: "Fraction of simulated generations that fail with a transient error (0…1).")
    var simFailureRate = 0.0

    @Option(help: "Extra simulated seconds when a job needs another model or LoRA than the GPU ran last.")
    var simSwitchSeconds = 0.0

    @Option(
        name: .customLong("sim-png-bytes"),
        help: "Bytes per simulated PNG, as a real server's (about 1500000 at 1024×1024); default: a few kB.")
    var simPNGBytes: Int?

    func validate() throws {
        guard (simGPUs ?? 0) >= 0 else { throw ValidationError("--sim-gpus must not be negative") }
        guard simSeconds >= 0 else { throw ValidationError("--sim-seconds must not be negative") }
        guard simSwitchSeconds >= 0 else { throw ValidationError("--sim-switch-seconds must not be negative") }
        guard (0...1).contains(simFailureRate) else { throw ValidationError("--sim-failure-rate must be within 0…1") }
        if let simPNGBytes, !(0...SimulatorConfiguration.maxPNGBytes).contains(simPNGBytes) {
            throw ValidationError("--sim-png-bytes must be within 0…\(SimulatorConfiguration.maxPNGBytes)")
        }
    }

    /// How many simulated GPUs run next to `realBackends` servers.
    func count(besides realBackends: Int) -> Int {
        simGPUs ?? (realBackends > 0 ? 0 : 2)
    }

    /// One simulated backend per GPU, named `sim-0`, `sim-1`, ….
    func backends(besides realBackends: Int) -> [any Backend] {
        (0..<count(besides: realBackends)).map { index in
            SimulatedBackend(
                id: "sim-\(index)", configuration: .init(
                    secondsPerImage: simSeconds, failureRate: simFailureRate, modelSwitchSeconds: simSwitchSeconds,
                    pngBytes: simPNGBytes))
        }
    }
}
