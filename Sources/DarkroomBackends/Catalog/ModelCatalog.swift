import Foundation

/// How Darkroom's model, LoRA and sampler names map to the file and option names of each kind of server.
///
/// A job names `z_image_turbo_bf16` and `AWPortrait-Z`; ComfyUI wants `z_image_turbo_bf16.safetensors`
/// plus a text encoder and a VAE, Forge wants a checkpoint title and a `<lora:AWPortrait-Z:1>` tag.
/// Anything the file leaves out falls back to the conventions in ``ModelCatalog/standard`` (see
/// docs/backends.md for the file format). Loaded with `--models FILE`.
public struct ModelCatalog: Sendable, Equatable, Codable {
    /// Per Darkroom model name.
    public var models: [String: ModelEntry]
    /// Per Darkroom LoRA name.
    public var loras: [String: NameEntry]
    /// Per Darkroom sampler name.
    public var samplers: [String: NameEntry]
    /// The scheduler each kind of server runs (Z-Image Turbo: `simple`).
    public var scheduler: NameEntry

    public init(
        models: [String: ModelEntry] = [:], loras: [String: NameEntry] = [:], samplers: [String: NameEntry] = [:],
        scheduler: NameEntry = NameEntry(a1111: "Simple", comfyui: "simple")
    ) {
        self.models = models
        self.loras = loras
        self.samplers = samplers
        self.scheduler = scheduler
    }

    /// Z-Image Turbo's files as the official ComfyUI template names them; everything else by convention.
    public static let standard = ModelCatalog(
        samplers: [
            "res_multistep": NameEntry(a1111: "Res Multistep", comfyui: "res_multistep"),
            "euler": NameEntry(a1111: "Euler", comfyui: "euler"),
        ])

    /// Reads a catalog file; keys it leaves out keep their standard values.
    public static func load(contentsOf url: URL) throws -> ModelCatalog {
        let decoded = try JSONDecoder().decode(ModelCatalog.self, from: Data(contentsOf: url))
        return standard.merging(decoded)
    }

    /// This catalog with `other`'s entries added, `other` winning on the same name.
    public func merging(_ other: ModelCatalog) -> ModelCatalog {
        ModelCatalog(
            models: models.merging(other.models) { _, new in new },
            loras: loras.merging(other.loras) { _, new in new },
            samplers: samplers.merging(other.samplers) { _, new in new },
            scheduler: other.scheduler)
    }

    enum CodingKeys: String, CodingKey {
        case models, loras, samplers, scheduler
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            models: try container.decodeIfPresent([String: ModelEntry].self, forKey: .models) ?? [:],
            loras: try container.decodeIfPresent([String: NameEntry].self, forKey: .loras) ?? [:],
            samplers: try container.decodeIfPresent([String: NameEntry].self, forKey: .samplers) ?? [:],
            scheduler: try container.decodeIfPresent(NameEntry.self, forKey: .scheduler)
                ?? NameEntry(a1111: "Simple", comfyui: "simple"))
    }
}

/// A name as each kind of server spells it; `nil` means "the same as Darkroom's".
public struct NameEntry: Sendable, Equatable, Codable {
    public var a1111: String?
    public var comfyui: String?

    public init(a1111: String? = nil, comfyui: String? = nil) {
        self.a1111 = a1111
        self.comfyui = comfyui
    }
}

/// The files behind one Darkroom model name.
public struct ModelEntry: Sendable, Equatable, Codable {
    /// For A1111 / Forge.
    public var a1111: A1111Model?
    /// For ComfyUI.
    public var comfyui: ComfyUIModel?

    public init(a1111: A1111Model? = nil, comfyui: ComfyUIModel? = nil) {
        self.a1111 = a1111
        self.comfyui = comfyui
    }
}

/// A model on an A1111-protocol server.
public struct A1111Model: Sendable, Equatable, Codable {
    /// Sent as `override_settings.sd_model_checkpoint`; `nil` runs whatever the server has loaded
    /// (the advice for Forge, whose overrides are global: pin one model per server).
    public var checkpoint: String?
    /// Sent as `override_settings.forge_additional_modules` (Forge Neo: text encoder and VAE paths).
    public var additionalModules: [String]?

    public init(checkpoint: String? = nil, additionalModules: [String]? = nil) {
        self.checkpoint = checkpoint
        self.additionalModules = additionalModules
    }

    enum CodingKeys: String, CodingKey {
        case checkpoint
        case additionalModules = "additional_modules"
    }
}

/// A model on a ComfyUI server: the three files Z-Image's graph loads.
public struct ComfyUIModel: Sendable, Equatable, Codable {
    public var unet: String
    public var clip: String
    public var vae: String
    public var weightDtype: String

    public init(
        unet: String, clip: String = "qwen_3_4b.safetensors", vae: String = "ae.safetensors",
        weightDtype: String = "default"
    ) {
        self.unet = unet
        self.clip = clip
        self.vae = vae
        self.weightDtype = weightDtype
    }

    enum CodingKeys: String, CodingKey {
        case unet, clip, vae
        case weightDtype = "weight_dtype"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            unet: try container.decode(String.self, forKey: .unet),
            clip: try container.decodeIfPresent(String.self, forKey: .clip) ?? "qwen_3_4b.safetensors",
            vae: try container.decodeIfPresent(String.self, forKey: .vae) ?? "ae.safetensors",
            weightDtype: try container.decodeIfPresent(String.self, forKey: .weightDtype) ?? "default")
    }
}

extension ModelCatalog {
    /// The A1111 model settings for `model`; none by default (run what is loaded).
    public func a1111Model(_ model: String) -> A1111Model {
        models[model]?.a1111 ?? A1111Model()
    }

    /// The ComfyUI files for `model`; by default `<model>.safetensors` with Z-Image's encoder and VAE.
    public func comfyUIModel(_ model: String) -> ComfyUIModel {
        models[model]?.comfyui ?? ComfyUIModel(unet: "\(model).safetensors")
    }

    /// The name inside `<lora:NAME:STRENGTH>`; by default the Darkroom name.
    public func a1111LoRA(_ name: String) -> String {
        loras[name]?.a1111 ?? name
    }

    /// The file `LoraLoaderModelOnly` loads; by default `<name>.safetensors`.
    public func comfyUILoRA(_ name: String) -> String {
        loras[name]?.comfyui ?? "\(name).safetensors"
    }

    /// The A1111 sampler name; by default the Darkroom name.
    public func a1111Sampler(_ name: String) -> String {
        samplers[name]?.a1111 ?? name
    }

    /// The ComfyUI sampler name; by default the Darkroom name.
    public func comfyUISampler(_ name: String) -> String {
        samplers[name]?.comfyui ?? name
    }

    /// The A1111 scheduler name.
    public var a1111Scheduler: String { scheduler.a1111 ?? "Simple" }

    /// The ComfyUI scheduler name.
    public var comfyUIScheduler: String { scheduler.comfyui ?? "simple" }
}
