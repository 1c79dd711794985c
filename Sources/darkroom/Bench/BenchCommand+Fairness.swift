import ArgumentParser
import DarkroomBench
import Foundation
import Logging

/// `--scenario fairness`: tenants of different weights on 3 simulated GPUs.
extension BenchCommand {
    var isFairnessScenario: Bool { scenario == "fairness" }

    func fairnessScenario(logger: Logger) throws -> FairnessScenario {
        let weights = tenantWeights.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !weights.isEmpty, weights.allSatisfy({ $0 != nil }) else {
            throw ValidationError("--tenant-weights takes numbers separated by commas, like 1,2,4")
        }
        return FairnessScenario(
            tenants: weights.map { FairnessScenario.TenantLoad(weight: $0!, jobs: jobsPerTenant) },
            simSeconds: simSeconds,
            request: RequestShape(
                prompt: prompt, width: width, height: height, steps: steps, loraStrength: loraStrength),
            databaseURL: databaseURL, executable: Self.currentExecutable(), logger: logger)
    }

    /// Prints a line per server and phase, then the shares.
    func runFairnessScenario(logger: Logger) async throws {
        _ = try await runReported { _, _, note in
            try await fairnessScenario(logger: logger).run(note: note)
        }
    }
}
