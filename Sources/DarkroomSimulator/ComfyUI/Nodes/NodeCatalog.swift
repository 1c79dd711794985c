/// The node classes the simulated ComfyUI knows (the ones Darkroom's graphs use), with the model files of
/// this server in their combo inputs.
struct NodeCatalog: Sendable {
    /// ComfyUI's `MAX_RESOLUTION`.
    static let maxResolution: Double = 16384

    /// The model folders `GET /models/{folder}` lists.
    let folders: [(name: String, files: [String])]
    let schemas: [String: NodeSchema]
    /// Class names in `/object_info` order.
    let classNames: [String]

    init(configuration: SimulatorConfiguration) {
        folders = [
            ("checkpoints", []), ("loras", configuration.loraFiles), ("vae", [configuration.vaeFile]),
            ("text_encoders", [configuration.clipFile]), ("diffusion_models", [configuration.unetFile]),
            ("clip_vision", []), ("style_models", []), ("embeddings", []), ("diffusers", []), ("vae_approx", []),
            ("controlnet", []), ("gligen", []), ("upscale_models", []), ("hypernetworks", []),
            ("photomaker", []), ("classifiers", []),
        ]
        let all = Self.loaders(configuration) + Self.conditioning + Self.latents + Self.sampling + Self.images
        schemas = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
        classNames = all.map(\.name)
    }

    /// The files of model folder `name`, or `nil` when there is no such folder.
    func files(in name: String) -> [String]? {
        folders.first { $0.name == name }?.files
    }

    static let samplerNames = [
        "euler", "euler_cfg_pp", "euler_ancestral", "euler_ancestral_cfg_pp", "heun", "heunpp2", "dpm_2",
        "dpm_2_ancestral", "lms", "dpm_fast", "dpm_adaptive", "dpmpp_2s_ancestral", "dpmpp_2s_ancestral_cfg_pp",
        "dpmpp_sde", "dpmpp_sde_gpu", "dpmpp_2m", "dpmpp_2m_cfg_pp", "dpmpp_2m_sde", "dpmpp_2m_sde_gpu",
        "dpmpp_3m_sde", "dpmpp_3m_sde_gpu", "ddpm", "lcm", "ipndm", "ipndm_v", "deis", "res_multistep",
        "res_multistep_cfg_pp", "res_multistep_ancestral", "res_multistep_ancestral_cfg_pp", "gradient_estimation",
        "er_sde", "seeds_2", "seeds_3", "sa_solver", "sa_solver_pece", "ddim", "uni_pc", "uni_pc_bh2",
    ]

    static let schedulerNames = [
        "simple", "sgm_uniform", "karras", "exponential", "ddim_uniform", "beta", "normal", "linear_quadratic",
        "kl_optimal",
    ]

    private static let strength = NodeSchema.Kind.float(default: 1.0, min: -100, max: 100, step: 0.01)

    private static func loaders(_ configuration: SimulatorConfiguration) -> [NodeSchema] {
        let loras = NodeSchema.Kind.combo(configuration.loraFiles)
        return [
            .init(
                name: "UNETLoader", displayName: "Load Diffusion Model", category: "advanced/loaders",
                inputs: [
                    .init(name: "unet_name", kind: .combo([configuration.unetFile])),
                    .init(
                        name: "weight_dtype", kind: .combo(["default", "fp8_e4m3fn", "fp8_e4m3fn_fast", "fp8_e5m2"])),
                ], outputs: ["MODEL"]),
            .init(
                name: "CLIPLoader", displayName: "Load CLIP", category: "advanced/loaders",
                inputs: [
                    .init(name: "clip_name", kind: .combo([configuration.clipFile])),
                    .init(
                        name: "type",
                        kind: .combo([
                            "stable_diffusion", "stable_cascade", "sd3", "stable_audio", "mochi", "ltxv", "pixart",
                            "cosmos", "lumina2", "wan", "hidream", "chroma", "ace", "omnigen2", "qwen_image",
                            "hunyuan_image",
                        ])),
                    .init(name: "device", kind: .combo(["default", "cpu"]), isRequired: false),
                ], outputs: ["CLIP"]),
            .init(
                name: "VAELoader", displayName: "Load VAE", category: "loaders",
                inputs: [.init(name: "vae_name", kind: .combo([configuration.vaeFile, "pixel_space"]))],
                outputs: ["VAE"]),
            .init(
                name: "LoraLoaderModelOnly", displayName: "LoraLoaderModelOnly", category: "loaders",
                inputs: [
                    .init(name: "model", kind: .link("MODEL")), .init(name: "lora_name", kind: loras),
                    .init(name: "strength_model", kind: strength),
                ], outputs: ["MODEL"]),
            .init(
                name: "LoraLoader", displayName: "Load LoRA", category: "loaders",
                inputs: [
                    .init(name: "model", kind: .link("MODEL")), .init(name: "clip", kind: .link("CLIP")),
                    .init(name: "lora_name", kind: loras), .init(name: "strength_model", kind: strength),
                    .init(name: "strength_clip", kind: strength),
                ], outputs: ["MODEL", "CLIP"]),
        ]
    }

    private static let conditioning: [NodeSchema] = [
        .init(
            name: "ModelSamplingAuraFlow", displayName: "ModelSamplingAuraFlow", category: "advanced/model",
            pythonModule: "comfy_extras.nodes_model_advanced",
            inputs: [
                .init(name: "model", kind: .link("MODEL")),
                .init(name: "shift", kind: .float(default: 1.73, min: 0, max: 100, step: 0.01)),
            ], outputs: ["MODEL"]),
        .init(
            name: "CLIPTextEncode", displayName: "CLIP Text Encode (Prompt)", category: "conditioning",
            inputs: [
                .init(name: "text", kind: .string(default: nil, multiline: true)),
                .init(name: "clip", kind: .link("CLIP")),
            ], outputs: ["CONDITIONING"]),
        .init(
            name: "ConditioningZeroOut", displayName: "ConditioningZeroOut", category: "advanced/conditioning",
            inputs: [.init(name: "conditioning", kind: .link("CONDITIONING"))], outputs: ["CONDITIONING"]),
    ]

    private static let latents: [NodeSchema] = [
        .init(
            name: "EmptySD3LatentImage", displayName: "EmptySD3LatentImage", category: "latent/sd3",
            pythonModule: "comfy_extras.nodes_sd3",
            inputs: [
                .init(name: "width", kind: .int(default: 1024, min: 16, max: maxResolution, step: 16)),
                .init(name: "height", kind: .int(default: 1024, min: 16, max: maxResolution, step: 16)),
                .init(name: "batch_size", kind: .int(default: 1, min: 1, max: 4096)),
            ], outputs: ["LATENT"]),
        .init(
            name: "EmptyLatentImage", displayName: "Empty Latent Image", category: "latent",
            inputs: [
                .init(name: "width", kind: .int(default: 512, min: 16, max: maxResolution, step: 8)),
                .init(name: "height", kind: .int(default: 512, min: 16, max: maxResolution, step: 8)),
                .init(name: "batch_size", kind: .int(default: 1, min: 1, max: 4096)),
            ], outputs: ["LATENT"]),
    ]

    private static let sampling: [NodeSchema] = [
        .init(
            name: "KSampler", displayName: "KSampler", category: "sampling",
            inputs: [
                .init(name: "model", kind: .link("MODEL")),
                .init(name: "seed", kind: .int(default: 0, min: 0, max: Double(UInt64.max))),
                .init(name: "steps", kind: .int(default: 20, min: 1, max: 10000)),
                .init(name: "cfg", kind: .float(default: 8.0, min: 0, max: 100, step: 0.1)),
                .init(name: "sampler_name", kind: .combo(samplerNames)),
                .init(name: "scheduler", kind: .combo(schedulerNames)),
                .init(name: "positive", kind: .link("CONDITIONING")),
                .init(name: "negative", kind: .link("CONDITIONING")),
                .init(name: "latent_image", kind: .link("LATENT")),
                .init(name: "denoise", kind: .float(default: 1.0, min: 0, max: 1, step: 0.01)),
            ], outputs: ["LATENT"]),
        .init(
            name: "VAEDecode", displayName: "VAE Decode", category: "latent",
            inputs: [.init(name: "samples", kind: .link("LATENT")), .init(name: "vae", kind: .link("VAE"))],
            outputs: ["IMAGE"]),
    ]

    private static let images: [NodeSchema] = [
        .init(
            name: "SaveImage", displayName: "Save Image", category: "image",
            inputs: [
                .init(name: "images", kind: .link("IMAGE")),
                .init(name: "filename_prefix", kind: .string(default: "ComfyUI")),
            ], outputs: [], isOutputNode: true, description: "Saves the input images to your ComfyUI output directory."),
        .init(
            name: "PreviewImage", displayName: "Preview Image", category: "image",
            inputs: [.init(name: "images", kind: .link("IMAGE"))], outputs: [], isOutputNode: true,
            description: "Saves the input images to your ComfyUI output directory."),
    ]
}
