import DarkroomCore
import Foundation
import OpenAPIRuntime

extension Components.Schemas.JobRequest {
    /// The domain draft of this request; validation happens in the core.
    var draft: GenerationDraft {
        GenerationDraft(
            prompt: prompt, negativePrompt: negativePrompt, width: width, height: height, steps: steps, seed: seed,
            cfgScale: cfgScale, sampler: sampler, model: model,
            loras: loras?.map { LoRA(name: $0.name, strength: $0.strength ?? 1.0) }, batchSize: batchSize)
    }

    /// The metadata object as JSON text, stored and echoed back untouched.
    func metadataJSON() throws -> String? {
        guard let metadata else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(metadata.additionalProperties), as: UTF8.self)
    }
}
