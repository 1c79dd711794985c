/// Generation parameters as a client sent them: every field optional, nothing checked yet.
public struct GenerationDraft: Sendable, Equatable {
    public var prompt: String
    public var negativePrompt: String?
    public var width: Int?
    public var height: Int?
    public var steps: Int?
    public var seed: Int64?
    public var cfgScale: Double?
    public var sampler: String?
    public var model: String?
    public var loras: [LoRA]?
    public var batchSize: Int?

    public init(
        prompt: String, negativePrompt: String? = nil, width: Int? = nil, height: Int? = nil, steps: Int? = nil,
        seed: Int64? = nil, cfgScale: Double? = nil, sampler: String? = nil, model: String? = nil,
        loras: [LoRA]? = nil, batchSize: Int? = nil
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
}
