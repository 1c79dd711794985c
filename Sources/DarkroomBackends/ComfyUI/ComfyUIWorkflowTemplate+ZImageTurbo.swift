import DarkroomCore

extension ComfyUIWorkflowTemplate {
    /// The graph of z-image-awportrait.md §3, node for node.
    ///
    /// Node ids are those of §3; the first LoRA is node 4, further LoRAs 12, 13, … chained after it, and with no
    /// LoRA `ModelSamplingAuraFlow` takes the UNET directly. The negative prompt is unused: Z-Image Turbo runs
    /// at CFG 1, so the official template feeds a zeroed conditioning (`ConditioningZeroOut`).
    static func zImageTurboGraph(
        for request: GenerationRequest, catalog: ModelCatalog, filenamePrefix: String
    ) -> BackendJSON {
        let model = catalog.comfyUIModel(request.model)
        var nodes: [String: BackendJSON] = [
            "1": node("UNETLoader", ["unet_name": .string(model.unet), "weight_dtype": .string(model.weightDtype)]),
            "2": node(
                "CLIPLoader",
                ["clip_name": .string(model.clip), "type": .string("lumina2"), "device": .string("default")]),
            "3": node("VAELoader", ["vae_name": .string(model.vae)]),
        ]
        var modelSource = "1"
        for (index, lora) in request.loras.enumerated() {
            let id = index == 0 ? "4" : String(11 + index)
            nodes[id] = node(
                "LoraLoaderModelOnly",
                [
                    "model": link(modelSource), "lora_name": .string(catalog.comfyUILoRA(lora.name)),
                    "strength_model": .double(lora.strength),
                ])
            modelSource = id
        }
        nodes["5"] = node("ModelSamplingAuraFlow", ["model": link(modelSource), "shift": .double(3)])
        nodes["6"] = node("CLIPTextEncode", ["clip": link("2"), "text": .string(request.prompt)])
        nodes["7"] = node("ConditioningZeroOut", ["conditioning": link("6")])
        nodes["8"] = node(
            "EmptySD3LatentImage",
            [
                "width": .int(Int64(request.width)), "height": .int(Int64(request.height)),
                "batch_size": .int(Int64(request.batchSize)),
            ])
        nodes["9"] = node(
            "KSampler",
            [
                "model": link("5"), "positive": link("6"), "negative": link("7"), "latent_image": link("8"),
                "seed": .int(request.seed), "steps": .int(Int64(request.steps)), "cfg": .double(request.cfgScale),
                "sampler_name": .string(catalog.comfyUISampler(request.sampler)),
                "scheduler": .string(catalog.comfyUIScheduler), "denoise": .double(1),
            ])
        nodes["10"] = node("VAEDecode", ["samples": link("9"), "vae": link("3")])
        nodes["11"] = node("SaveImage", ["images": link("10"), "filename_prefix": .string(filenamePrefix)])
        return .object(nodes)
    }

    private static func node(_ classType: String, _ inputs: [String: BackendJSON]) -> BackendJSON {
        .object(["class_type": .string(classType), "inputs": .object(inputs)])
    }

    /// Output 0 of node `id`.
    private static func link(_ id: String) -> BackendJSON {
        .array([.string(id), .int(0)])
    }
}
