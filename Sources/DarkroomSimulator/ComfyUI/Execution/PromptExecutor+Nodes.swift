import DarkroomBackends
import DarkroomWire
import Logging

extension PromptExecutor {
    /// Simulates node `id`: latents carry size and batch, the sampler takes the simulated GPU time and
    /// reports each step, the decoder passes the seed on, and image nodes render and store PNGs.
    ///
    /// - Returns: the node's outputs and, for output nodes, its UI output (`{"images": [...]}`).
    func runNode(_ id: String, values: [String: [NodeValue]], run: inout PromptRun) async throws
        -> (outputs: [NodeValue], ui: JSONValue?)
    {
        let node = NodeInputs(node: run.item.prompt[id]?.object ?? [:], values: values)
        switch node.classType {
        case "EmptySD3LatentImage", "EmptyLatentImage":
            // The latent is width/8 × height/8, so the decoded image is rounded down to a multiple of 8.
            let latent = NodeValue.Latent(
                width: Int(node.int("width") ?? 1024) / 8 * 8, height: Int(node.int("height") ?? 1024) / 8 * 8,
                batchSize: Int(node.int("batch_size") ?? 1), seed: nil)
            return ([.latent(latent)], nil)
        case "KSampler":
            var latent = node.linked("latent_image")?.latent ?? .init(width: 1024, height: 1024, batchSize: 1)
            try await sample(id, latent: latent, steps: Int(node.int("steps") ?? 20), run: &run)
            latent.seed = node.int("seed") ?? 0
            return ([.latent(latent)], nil)
        case "VAEDecode":
            let latent = node.linked("samples")?.latent ?? .init(width: 1024, height: 1024, batchSize: 1)
            // Decoding needs GPU memory as sampling does; an empty latent decoded unsampled is checked here.
            guard memory.fits(width: latent.width, height: latent.height, batchSize: latent.batchSize) else {
                throw NodeFailure.outOfMemory
            }
            return ([.image(latent)], nil)
        case "SaveImage", "PreviewImage":
            let images = node.linked("images")?.latent ?? .init(width: 1024, height: 1024, batchSize: 1)
            let pngs = try await renderer.pngs(
                width: images.width, height: images.height, firstSeed: images.seed ?? 0, count: images.batchSize)
            let isPreview = node.classType == "PreviewImage"
            let prefix = isPreview ? Self.temporaryPrefix() : node.string("filename_prefix") ?? "ComfyUI"
            let entries = await files.save(pngs, prefix: prefix, type: isPreview ? "temp" : "output")
            return ([], ["images": .array(entries)])
        default:
            let outputs = catalog.schemas[node.classType]?.outputs ?? []
            return (outputs.map(NodeValue.opaque), nil)
        }
    }

    /// The sampler's steps on the simulated GPU; each step sends `progress_state`, a preview (with
    /// ``SimulatorConfiguration/sendsPreviews``), then `progress`, as upstream orders them.
    private func sample(_ id: String, latent: NodeValue.Latent, steps: Int, run: inout PromptRun) async throws {
        let width = latent.width
        let height = latent.height
        guard memory.fits(width: width, height: height, batchSize: latent.batchSize) else {
            throw NodeFailure.outOfMemory
        }
        let fault = Fault.roll(oomRate: configuration.oomRate, failureRate: 0)
        setWorking(memory.working(width: width, height: height, batchSize: latent.batchSize))
        defer { setWorking(nil) }
        let schedule = SamplingSchedule(
            secondsPerImage: configuration.secondsPerImage, width: width, height: height, steps: steps,
            batchSize: latent.batchSize)
        for step in 1...max(1, steps) {
            try await schedule.waitForStep(step)
            if fault == .outOfMemory, step == Fault.step(of: steps) { throw NodeFailure.outOfMemory }
            if await queue.isInterrupted { throw NodeFailure.interrupted }
            run.setProgress(id, value: step, max: steps, state: .running)
            await sendProgressState(run)
            if configuration.sendsPreviews, let client = run.item.clientID,
                let png = try? SimulatedPreviewRenderer.png(
                    width: width, height: height, seed: 0, step: step, steps: steps)
            {
                await sockets.sendPreview(png: [UInt8](png), to: client)
            }
            if let client = run.item.clientID {
                await sockets.send(
                    "progress",
                    ["value": .integer(step), "max": .integer(steps), "prompt_id": run.promptID, "node": .string(id)],
                    to: client)
            }
        }
    }

    /// `execution_interrupted` (broadcast when the prompt has no client) or `execution_error`.
    func report(
        _ failure: NodeFailure, node id: String, cached: [String], values: [String: [NodeValue]], run: inout PromptRun
    )
        async
    {
        let node = run.item.prompt[id]?.object ?? [:]
        var data: JSONObject = [
            "prompt_id": run.promptID, "node_id": .string(id), "node_type": node["class_type"] ?? .null,
            "executed": .strings(run.executed),
        ]
        switch failure {
        case .interrupted:
            logger.info("Prompt interrupted")
            await emit(&run, "execution_interrupted", data, broadcast: true)
        case .outOfMemory:
            logger.info("Simulated CUDA out of memory")
            data["exception_message"] = .string(Self.outOfMemoryMessage)
            data["exception_type"] = "torch.OutOfMemoryError"
            data["traceback"] = Self.outOfMemoryTraceback
            data["current_inputs"] = .object(NodeInputs(node: node, values: values).formatted)
            data["current_outputs"] = .strings(cached)
            await emit(&run, "execution_error", data)
        }
    }

    private func setWorking(_ bytes: Int64?) { working = bytes }

    /// `ComfyUI_temp_` plus five random letters, as `PreviewImage` names its files.
    private static func temporaryPrefix() -> String {
        "ComfyUI_temp_" + String((0..<5).map { _ in "abcdefghijklmnopqrstuvwxyz".randomElement()! })
    }

    /// `"{exception}\n{tips}"` for a CUDA OOM under `cudaMallocAsync`, whose exception text is terse.
    static let outOfMemoryMessage =
        "Allocation on device \nThis error means you ran out of memory on your GPU.\n\n"
        + "TIPS: If the workflow worked before you might have accidentally set the batch_size to a large number."

    static let outOfMemoryTraceback: JSONValue = [
        .string(
            "  File \"/ComfyUI/execution.py\", line 496, in execute\n"
                + "    output_data, output_ui, has_subgraph, has_pending_tasks = await get_output_data(...)\n"),
        .string(
            "  File \"/ComfyUI/nodes.py\", line 1525, in sample\n"
                + "    return common_ksampler(model, seed, steps, cfg, sampler_name, scheduler, positive, ...)\n"),
        .string(
            "  File \"/ComfyUI/comfy/model_management.py\", line 1145, in cast_to_device\n"
                + "    return tensor.to(device, dtype=dtype, copy=copy, non_blocking=non_blocking)\n"),
    ]
}
