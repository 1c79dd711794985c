import DarkroomCore
import Foundation

/// The body of `POST /sdapi/v1/txt2img` for one job.
///
/// LoRAs ride in the prompt as ` <lora:NAME:STRENGTH>` tags (a missing LoRA is silently skipped by the server).
/// `override_settings` is sent only when the catalog names a checkpoint or Forge modules for the model, with
/// `override_settings_restore_afterwards`. On upstream A1111 that swaps the model in and out inside the queue lock.
/// Forge applies overrides *globally*, before its lock, and never restores them, so they act like
/// `POST /options` and race between requests: on Forge, pin one model per server and leave the catalog's
/// `a1111.checkpoint` unset.
struct A1111Txt2ImgPayload: Encodable, Equatable {
    struct OverrideSettings: Encodable, Equatable {
        var checkpoint: String?
        var additionalModules: [String]?

        enum CodingKeys: String, CodingKey {
            case checkpoint = "sd_model_checkpoint"
            case additionalModules = "forge_additional_modules"
        }
    }

    var prompt: String
    var negativePrompt: String
    var width: Int
    var height: Int
    var steps: Int
    var seed: Int64
    var cfgScale: Double
    var samplerName: String
    var scheduler: String
    var batchSize: Int
    var iterations = 1
    var sendImages = true
    var saveImages = false
    var overrideSettings: OverrideSettings?
    var restoreSettingsAfterwards: Bool?

    init(request: GenerationRequest, catalog: ModelCatalog) {
        let tags = request.loras.map { " <lora:\(catalog.a1111LoRA($0.name)):\(Self.format($0.strength))>" }
        prompt = request.prompt + tags.joined()
        negativePrompt = request.negativePrompt
        width = request.width
        height = request.height
        steps = request.steps
        seed = request.seed
        cfgScale = request.cfgScale
        samplerName = catalog.a1111Sampler(request.sampler)
        scheduler = catalog.a1111Scheduler
        batchSize = request.batchSize
        let model = catalog.a1111Model(request.model)
        if model.checkpoint != nil || model.additionalModules != nil {
            overrideSettings = OverrideSettings(
                checkpoint: model.checkpoint, additionalModules: model.additionalModules)
            restoreSettingsAfterwards = true
        }
    }

    enum CodingKeys: String, CodingKey {
        case prompt
        case negativePrompt = "negative_prompt"
        case width, height, steps, seed
        case cfgScale = "cfg_scale"
        case samplerName = "sampler_name"
        case scheduler
        case batchSize = "batch_size"
        case iterations = "n_iter"
        case sendImages = "send_images"
        case saveImages = "save_images"
        case overrideSettings = "override_settings"
        case restoreSettingsAfterwards = "override_settings_restore_afterwards"
    }

    /// The JSON body.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// A strength as the reference writes it (`1.0`, `0.8`), never in exponent form, so prompts stay readable.
    static func format(_ strength: Double) -> String {
        guard strength.isFinite else { return "1.0" }
        let plain = "\(strength)"
        guard plain.contains("e") else { return plain }
        let fixed = String(format: "%.6f", strength).replacingOccurrences(
            of: #"0+$"#, with: "", options: .regularExpression)
        return fixed.hasSuffix(".") ? fixed + "0" : fixed
    }
}
