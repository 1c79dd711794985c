import ArgumentParser
import DarkroomBackends
import DarkroomWorker
import Foundation
import Logging

/// The inference servers a process drives (`--backend KIND=URL`, repeatable) and how it treats them:
/// slots per server, the model name map, the ComfyUI workflow, the circuit breaker and model affinity.
struct BackendOptions: ParsableArguments {
    @Option(
        name: .customLong("backend"),
        help: "An inference server, KIND=URL with KIND a1111 or comfyui (a1111=http://gpu1:7860); repeatable.")
    var backends: [BackendSpec] = []

    @Option(help: "Requests each --backend server runs at once (A1111 and ComfyUI run one at a time).")
    var backendSlots = 1

    @Option(help: "JSON file mapping model, LoRA and sampler names to each server's (see docs/backends.md).")
    var models: String?

    @Option(help: "ComfyUI workflow template (API-format JSON with {{placeholders}}) instead of the built-in one.")
    var comfyuiWorkflow: String?

    @Option(help: "Backend faults within --breaker-fail-timeout that take a backend out (nginx max_fails).")
    var breakerMaxFails = 3

    @Option(help: "Seconds failures are counted over, and a tripped backend stays out (nginx fail_timeout).")
    var breakerFailTimeout = 30.0

    @Option(help: "Seconds a queued job may be passed over for jobs matching a backend's loaded model.")
    var affinityWindow = 30.0

    func validate() throws {
        guard backendSlots >= 1 else { throw ValidationError("--backend-slots must be at least 1") }
        guard breakerMaxFails >= 1 else { throw ValidationError("--breaker-max-fails must be at least 1") }
        guard breakerFailTimeout > 0 else { throw ValidationError("--breaker-fail-timeout must be positive") }
        guard affinityWindow >= 0 else { throw ValidationError("--affinity-window must not be negative") }
        let ids = backends.map(\.id)
        guard Set(ids).count == ids.count else { throw ValidationError("each --backend must name a different server") }
    }

    /// The circuit breaker every backend gets.
    var breakerPolicy: BreakerPolicy {
        BreakerPolicy(maxFails: breakerMaxFails, failTimeout: .milliseconds(Int64(breakerFailTimeout * 1000)))
    }

    var affinityDuration: Duration { .milliseconds(Int64(affinityWindow * 1000)) }

    /// One client per `--backend`, sharing the model map; throws when a file named in the options is unreadable.
    func makeBackends(logger: Logger) throws -> [any Backend] {
        let catalog = try models.map { path in
            do {
                return try ModelCatalog.load(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw ValidationError("--models \(path): \(error)")
            }
        } ?? .standard
        let workflow = try comfyuiWorkflow.map { path in
            do {
                return try ComfyUIWorkflowTemplate.load(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw ValidationError("--comfyui-workflow \(path): \(error)")
            }
        } ?? .zImageTurbo
        return backends.map { spec -> any Backend in
            switch spec.kind {
            case .a1111:
                A1111Backend(id: spec.id, baseURL: spec.url, slots: backendSlots, catalog: catalog, logger: logger)
            case .comfyui:
                ComfyUIBackend(
                    id: spec.id, baseURL: spec.url, slots: backendSlots, catalog: catalog, workflow: workflow,
                    logger: logger)
            }
        }
    }
}
