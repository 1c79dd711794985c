import DarkroomBackends
import DarkroomCore
import DarkroomWire
import Logging

/// Runs queued prompts on the simulated GPU the way ComfyUI's `PromptExecutor` does, and emits its
/// WebSocket events in upstream's order:
///
/// ```
/// execution_start, execution_cached,
///   per node: executing, progress_state, [per step: progress_state, progress], [executed], progress_state
/// execution_success | execution_error | execution_interrupted
/// (history written) status, executing {node: null}
/// ```
///
/// Events go to the prompt's `client_id` socket only; without a client id only the `execution_*` messages
/// that upstream broadcasts are sent. Concurrency: an actor used by the one worker task; its GPU figures
/// are read by `/system_stats` while a prompt runs.
actor PromptExecutor {
    let configuration: SimulatorConfiguration
    let catalog: NodeCatalog
    let memory: SimulatedGPUMemory
    let queue: ComfyQueue
    let sockets: ComfySockets
    let files: OutputFiles
    let renderer: ImageRenderer
    let logger: Logger
    var cache = ExecutionCache()
    /// Working memory of the sampler now running, if any (set only by the sampler).
    var working: Int64?

    init(
        configuration: SimulatorConfiguration, queue: ComfyQueue, sockets: ComfySockets, files: OutputFiles,
        logger: Logger
    ) {
        self.configuration = configuration
        self.catalog = NodeCatalog(configuration: configuration)
        self.memory = SimulatedGPUMemory(total: configuration.gpuMemoryBytes)
        self.queue = queue
        self.sockets = sockets
        self.files = files
        self.logger = logger
        renderer = ImageRenderer(pngBytes: configuration.pngBytes)
    }

    /// Executes `item`, writes its history entry and sends the closing `status` and `executing` null.
    ///
    /// - Throws: `CancellationError` only, when the server shuts down mid-run (nothing more is sent).
    func execute(_ item: QueueItem) async throws {
        await queue.resetInterrupt()
        var run = PromptRun(item: item)
        await emit(&run, "execution_start", ["prompt_id": run.promptID])
        let signatures = ExecutionCache.signatures(of: item.prompt)
        cache.keepOnly(signatures.values)
        let cached = item.prompt.keys.filter { cache[signatures[$0]] != nil }
        await emit(&run, "execution_cached", ["nodes": .strings(cached), "prompt_id": run.promptID])
        var values: [String: [NodeValue]] = [:]
        for id in cached { values[id] = cache[signatures[id]]?.outputs }
        var failure: (node: String, reason: NodeFailure)?
        for id in Self.executionOrder(item.prompt, outputs: item.outputs, cached: Set(cached)) {
            do {
                try await step(id, signature: signatures[id], values: &values, run: &run)
            } catch let nodeFailure as NodeFailure {
                failure = (id, nodeFailure)
                break
            }
        }
        if let failure {
            await report(failure.reason, node: failure.node, cached: cached, values: values, run: &run)
        } else {
            await emit(&run, "execution_success", ["prompt_id": run.promptID])
        }
        let status: JSONValue = [
            "status_str": failure == nil ? "success" : "error", "completed": .bool(failure == nil),
            "messages": .array(run.messages),
        ]
        await queue.finish(item, outputs: run.outputs, status: status, meta: run.meta)
        if let client = item.clientID {
            await sockets.send("executing", ["node": nil, "prompt_id": run.promptID], to: client)
        }
        logger.debug("Prompt executed", metadata: [LogKey.jobID.rawValue: .string(item.promptID)])
    }

    /// One node: replays a cached output node, or runs the node and caches what it made.
    private func step(_ id: String, signature: String?, values: inout [String: [NodeValue]], run: inout PromptRun)
        async throws
    {
        let client = run.item.clientID
        if let entry = cache[signature] {
            if let client {
                await sockets.send(
                    "executed",
                    [
                        "node": .string(id), "display_node": .string(id), "output": entry.ui?["output"] ?? .null,
                        "prompt_id": run.promptID,
                    ], to: client)
            }
            if let ui = entry.ui {
                run.outputs[id] = ui["output"]
                run.meta[id] = ui["meta"]
            }
            run.setProgress(id, state: .finished)
            await sendProgressState(run)
            return
        }
        if let client {
            await sockets.send(
                "executing", ["node": .string(id), "display_node": .string(id), "prompt_id": run.promptID], to: client)
        }
        run.setProgress(id, state: .running)
        await sendProgressState(run)
        if await queue.isInterrupted { throw NodeFailure.interrupted }
        let (outputs, uiOutput) = try await runNode(id, values: values, run: &run)
        values[id] = outputs
        run.executed.append(id)
        var ui: JSONObject?
        if let uiOutput {
            let meta: JSONValue = [
                "node_id": .string(id), "display_node": .string(id), "parent_node": nil, "real_node_id": .string(id),
            ]
            ui = ["output": uiOutput, "meta": meta]
            run.outputs[id] = uiOutput
            run.meta[id] = meta
            if let client {
                await sockets.send(
                    "executed",
                    ["node": .string(id), "display_node": .string(id), "output": uiOutput, "prompt_id": run.promptID],
                    to: client)
            }
        }
        cache[signature] = .init(outputs: outputs, ui: ui)
        run.setProgress(id, state: .finished)
        await sendProgressState(run)
    }

    /// `add_message`: records the event for history and sends it to the prompt's client (or to every
    /// client when `broadcast` and the prompt has no client id).
    func emit(_ run: inout PromptRun, _ event: String, _ data: JSONObject, broadcast: Bool = false) async {
        let payload = run.message(event, data)
        let client = run.item.clientID
        if client != nil || broadcast { await sockets.send(event, payload, to: client) }
    }

    func sendProgressState(_ run: PromptRun) async {
        guard let client = run.item.clientID else { return }
        await sockets.send("progress_state", run.progressState, to: client)
    }

    /// Nodes to run, dependencies first: every output with all it needs, skipping cached nodes (a cached
    /// output node is still visited, to replay its result).
    ///
    /// A depth-first walk with its own stack: validation bounds each walk it makes, but outputs validated
    /// one after another can chain far deeper than the thread's stack would allow.
    static func executionOrder(_ prompt: JSONObject, outputs: [String], cached: Set<String>) -> [String] {
        func sources(_ id: String) -> [String] {
            (prompt[id]?["inputs"]?.object?.members ?? []).compactMap { _, value in
                guard case .array(let link) = value, link.count == 2, let source = link[0].string,
                    !cached.contains(source)
                else { return nil }
                return source
            }
        }
        var order: [String] = []
        var seen: Set<String> = []
        for output in outputs where seen.insert(output).inserted {
            var stack: [(id: String, sources: [String], next: Int)] = [(output, sources(output), 0)]
            while let top = stack.last {
                guard top.next < top.sources.count else {
                    order.append(top.id)
                    stack.removeLast()
                    continue
                }
                stack[stack.count - 1].next += 1
                let source = top.sources[top.next]
                if seen.insert(source).inserted { stack.append((source, sources(source), 0)) }
            }
        }
        return order
    }
}
