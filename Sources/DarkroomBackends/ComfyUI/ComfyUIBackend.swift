import AsyncHTTPClient
import DarkroomCore
import Foundation
import Logging
import Synchronization

/// A backend that runs jobs on a ComfyUI server: the job's graph goes to `POST /prompt`, events come over
/// `/ws`, results from `/history` and `/view`.
///
/// - The graph comes from ``ComfyUIWorkflowTemplate`` (built in: Z-Image Turbo with LoRAs); each attempt writes
///   under its own `darkroom/<prompt id>` prefix, so a retried identical graph cannot be answered from cache with
///   old file names (reference gotcha 5). ComfyUI never deletes outputs: prune `output/darkroom/` yourself.
/// - The WebSocket opens before the prompt is submitted; events are filtered by `prompt_id`; `/history` is polled
///   alongside, so a dropped or refused socket only costs step progress (see ``ComfyUIEventSocket``).
/// - Cancelling the calling task sends `POST /interrupt {"prompt_id"}` and `POST /queue {"delete": [id]}`
///   (best effort) before the call ends with `CancellationError`. Servers too old for `prompt_id` interrupt
///   whatever runs, so keep ``slots`` at 1 per server.
/// - A batch shares one seed: the graph's one `KSampler` draws the noise of the whole batch from the request's
///   seed, so images differ by batch index and every image reports `request.seed` (the same seed and batch size
///   reproduce them), unlike A1111's seed, seed + 1, ….
public final class ComfyUIBackend: PreviewingBackend {
    public let id: String
    public let kind = "comfyui"
    public let slots: Int
    public let baseURL: URL
    public let catalog: ModelCatalog
    public let workflow: ComfyUIWorkflowTemplate
    public let configuration: Configuration
    let http: ServerHTTP
    let logger: Logger
    private let lastSucceeded = Mutex<ModelAffinity?>(nil)
    /// Event sockets left waiting for an upgrade answer that never came (see `ComfyUIBackend+Socket.swift`).
    let stuckSockets = Mutex(0)

    /// - Parameters:
    ///   - baseURL: the server root, e.g. `http://127.0.0.1:8188`.
    ///   - httpClient: `nil` uses ``AsyncHTTPClient/HTTPClient/inferenceServers(connectTimeout:readTimeout:)``
    ///     with the configuration's timeouts. A client you pass keeps its own connect and read timeouts.
    public init(
        id: String, baseURL: URL, slots: Int = 1, catalog: ModelCatalog = .standard,
        workflow: ComfyUIWorkflowTemplate = .zImageTurbo, httpClient: HTTPClient? = nil,
        configuration: Configuration = .init(), logger: Logger
    ) {
        self.id = id
        self.slots = max(1, slots)
        self.baseURL = baseURL
        self.catalog = catalog
        self.workflow = workflow
        self.configuration = configuration
        self.http = ServerHTTP(
            backendID: id, baseURL: baseURL, client: httpClient, connectTimeout: configuration.connectTimeout,
            readTimeout: configuration.requestTimeout, logger: logger)
        self.logger = http.logger
    }

    /// The model and LoRAs of the last request that succeeded here; `nil` before the first.
    public var loadedAffinity: ModelAffinity? { lastSucceeded.withLock { $0 } }

    /// Queues the job's graph, waits for the turn, and follows the prompt until its outputs are known; the answer
    /// downloads them through `/view` while the server already runs the next prompt.
    ///
    /// The prompt is queued on the server before the turn comes (the worker hands a job over when the one before
    /// it reaches its last step), so ComfyUI starts it the moment the prompt before it ends: its queue, events and
    /// interrupt are per prompt, so nothing becomes ambiguous. Cancelled while it waits, it is withdrawn.
    public func run(
        _ request: GenerationRequest, turn: ServerTurn, progress: @escaping @Sendable (JobProgress) async -> Void
    ) async throws -> BackendAnswer {
        try await run(request, turn: turn, previews: .none, progress: progress)
    }

    /// ``run(_:turn:progress:)``, handing the server's binary preview frames to `previews` while it wants them
    /// (the server sends them only with a `--preview-method` other than `none`).
    public func run(
        _ request: GenerationRequest, turn: ServerTurn, previews: PreviewSink,
        progress: @escaping @Sendable (JobProgress) async -> Void
    ) async throws -> BackendAnswer {
        let clientID = UUID().uuidString.lowercased()
        let promptID = UUID().uuidString.lowercased()
        let graph = try workflow.graph(for: request, catalog: catalog, filenamePrefix: "darkroom/\(promptID)")
        do {
            let outputs = try await execute(
                graph, request: request, clientID: clientID, promptID: promptID, turn: turn, previews: previews,
                progress: progress)
            lastSucceeded.withLock { $0 = request.affinity }
            return BackendAnswer { try await self.download(outputs, of: graph, for: request) }
        } catch {
            guard Task.isCancelled else { throw error }
            throw CancellationError()
        }
    }

    /// `GET /system_stats`: reachable with the first device's VRAM, or unreachable.
    public func health() async -> BackendHealth {
        do {
            let answer = try await http.get("/system_stats", timeout: configuration.probeTimeout, maxBytes: 1024 * 1024)
            guard answer.isSuccess else {
                return BackendHealth(isReachable: false, problem: "GET /system_stats answered \(answer.status)")
            }
            guard let json = answer.json, json.objectValue != nil else {
                return BackendHealth(isReachable: false, problem: "GET /system_stats did not answer a JSON object")
            }
            return BackendHealth(isReachable: true, gpuMemory: Self.gpuMemory(json))
        } catch {
            return BackendHealth(isReachable: false, problem: (error as? BackendError)?.detail ?? "\(error)")
        }
    }

    /// `devices[0]`: used = `vram_total - vram_free`.
    static func gpuMemory(_ stats: BackendJSON) -> GPUMemory? {
        guard let device = stats["devices"]?[0], let total = device["vram_total"]?.int64Value, total > 0,
            let free = device["vram_free"]?.int64Value
        else { return nil }
        return GPUMemory(usedBytes: max(0, total - free), totalBytes: total)
    }
}
