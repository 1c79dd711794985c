/// Validated generation parameters in the A1111 vocabulary, every default filled in and the seed resolved.
///
/// Only ``GenerationDraft/validated(defaults:randomSeed:)`` makes one from client input, so a value of this
/// type always satisfies the rules in ``ValidationError``. The seed is concrete (never -1), so a retry
/// repeats the same image.
public struct GenerationRequest: Sendable, Equatable, Codable {
    public var prompt: String
    public var negativePrompt: String
    public var width: Int
    public var height: Int
    public var steps: Int
    public var seed: Int64
    public var cfgScale: Double
    public var sampler: String
    public var model: String
    public var loras: [LoRA]
    public var batchSize: Int

    public init(
        prompt: String, negativePrompt: String = "", width: Int = GenerationDefaults.awPortraitZ.width,
        height: Int = GenerationDefaults.awPortraitZ.height, steps: Int = GenerationDefaults.awPortraitZ.steps,
        seed: Int64, cfgScale: Double = GenerationDefaults.awPortraitZ.cfgScale,
        sampler: String = GenerationDefaults.awPortraitZ.sampler, model: String = GenerationDefaults.awPortraitZ.model,
        loras: [LoRA] = GenerationDefaults.awPortraitZ.loras, batchSize: Int = 1
    ) {
        self.prompt = prompt
        self.negativePrompt = negativePrompt
        self.width = width
        self.height = height
        self.steps = steps
        self.seed = seed
        self.cfgScale = cfgScale
        self.sampler = sampler
        self.model = model
        self.loras = loras
        self.batchSize = batchSize
    }

    enum CodingKeys: String, CodingKey {
        case prompt
        case negativePrompt = "negative_prompt"
        case width, height, steps, seed
        case cfgScale = "cfg_scale"
        case sampler, model, loras
        case batchSize = "batch_size"
    }
}

/// A LoRA applied to the model at a strength.
public struct LoRA: Sendable, Equatable, Codable {
    public var name: String
    public var strength: Double

    public init(name: String, strength: Double = 1.0) {
        self.name = name
        self.strength = strength
    }
}
