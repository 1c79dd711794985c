import DarkroomCore
import DarkroomWire
import Foundation

extension Txt2ImgRequest {
    /// The Darkroom job this A1111 request asks for.
    ///
    /// LoRA tags leave the prompt and become the job's LoRAs (none without tags, as in WebUI);
    /// `batch_size × n_iter` images are made in one job; the sampler keeps its A1111 name (a model catalog
    /// maps it for ComfyUI); the model is `override_settings.sd_model_checkpoint`, else `model`.
    ///
    /// - Parameter model: the caller's chosen model, if any (`POST /sdapi/v1/options`).
    func draft(sampler: String, model: String?) -> GenerationDraft {
        let (tags, text) = LoRATag.split(prompt)
        let (batch, overflow) = batchSize.multipliedReportingOverflow(by: iterations)
        let checkpoint = parameters["override_settings"]?["sd_model_checkpoint"]?.string
        return GenerationDraft(
            prompt: text, negativePrompt: negativePrompt, width: width, height: height,
            steps: steps, seed: seed, cfgScale: cfgScale, sampler: sampler,
            model: (checkpoint.map(Self.modelName) ?? model),
            loras: disableExtraNetworks ? [] : tags.map { LoRA(name: $0.name, strength: $0.weight) },
            batchSize: overflow ? .max : batch)
    }

    /// A Darkroom model name from an A1111 checkpoint title: `name.safetensors [hash]` → `name`.
    static func modelName(_ checkpoint: String) -> String {
        var name = Substring(checkpoint)
        if name.hasSuffix("]"), let open = name.lastIndex(of: "[") {
            name = name[..<open]
        }
        name = Substring(name.trimmingCharacters(in: .whitespaces))
        for suffix in [".safetensors", ".ckpt", ".gguf"] where name.hasSuffix(suffix) {
            name = name.dropLast(suffix.count)
        }
        return String(name)
    }
}

extension A1111Error {
    /// A Darkroom validation rule the request broke, in FastAPI's 422 shape: the field in `loc`, the rule
    /// in `msg`, Darkroom's stable code in `ctx.code`.
    init(_ error: ValidationError) {
        // LoRAs come from the prompt's tags.
        let field = error.field.hasPrefix("loras") ? "prompt" : error.field
        self = .validation([
            .init(
                location: ["body", .string(field)],
                message: error.message, type: "value_error.\(error.code)", context: ["code": .string(error.code)])
        ])
    }
}
