import ArgumentParser
import DarkroomBackends

/// The simulated GPUs a process runs: `--sim-gpus`, `--sim-seconds`, `--sim-failure-rate`.
struct SimulationOptions: ParsableArguments {
    @Option(name: .customLong("sim-gpus"), help: "Number of simulated GPUs (one slot each).")
    var simGPUs = 2

    @Option(help: "Simulated seconds per 1024×1024, 8-step image.")
    var simSeconds = 0.8

    @Option(help: "Fraction of simulated generations that fail with a transient error (0…1).")
    var simFailureRate = 0.0

    func validate() throws {
        guard simGPUs >= 0 else { throw ValidationError("--sim-gpus must not be negative") }
        guard simSeconds >= 0 else { throw ValidationError("--sim-seconds must not be negative") }
        guard (0...1).contains(simFailureRate) else { throw ValidationError("--sim-failure-rate must be within 0…1") }
    }

    /// One simulated backend per GPU, named `sim-0`, `sim-1`, ….
    func backends() -> [any Backend] {
        (0..<simGPUs).map { index in
            SimulatedBackend(
                id: "sim-\(index)", configuration: .init(secondsPerImage: simSeconds, failureRate: simFailureRate))
        }
    }
}
