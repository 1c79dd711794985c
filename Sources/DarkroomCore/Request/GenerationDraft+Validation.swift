import Foundation

/// The limits ``GenerationDraft/validated(defaults:randomSeed:)`` enforces.
public enum GenerationLimits {
    public static let promptLength = 4_000
    public static let dimension = 256...2048
    public static let dimensionMultiple = 16
    public static let steps = 1...100
    public static let batchSize = 1...8
    public static let seed: ClosedRange<Int64> = 0...Int64(UInt32.max)
    public static let cfgScale = 0.0...30.0
    public static let loraStrength = -4.0...4.0
    public static let loraCount = 8
}

extension GenerationDraft {
    /// Checks every rule, fills in defaults and resolves a random seed (-1 or absent).
    ///
    /// - Parameter randomSeed: draws a seed in ``GenerationLimits/seed`` when the client asked for a random one.
    /// - Throws: the first ``ValidationError`` found, in field order.
    public func validated(
        defaults: GenerationDefaults = .awPortraitZ, randomSeed: () -> Int64
    ) throws(ValidationError) -> GenerationRequest {
        if prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw .emptyPrompt }
        if prompt.count > GenerationLimits.promptLength { throw .promptTooLong(length: prompt.count) }
        if let negativePrompt, negativePrompt.count > GenerationLimits.promptLength {
            throw .negativePromptTooLong(length: negativePrompt.count)
        }
        let width = try Self.checkedDimension(width ?? defaults.width, field: "width")
        let height = try Self.checkedDimension(height ?? defaults.height, field: "height")
        let steps = steps ?? defaults.steps
        guard GenerationLimits.steps.contains(steps) else { throw .invalidSteps(steps) }
        let batchSize = batchSize ?? 1
        guard GenerationLimits.batchSize.contains(batchSize) else { throw .invalidBatchSize(batchSize) }
        let cfgScale = cfgScale ?? defaults.cfgScale
        guard cfgScale.isFinite, GenerationLimits.cfgScale.contains(cfgScale) else { throw .invalidCFGScale(cfgScale) }
        let seed = try Self.resolvedSeed(seed, randomSeed: randomSeed)
        let loras = loras ?? defaults.loras
        try Self.checkLoRAs(loras)
        return GenerationRequest(
            prompt: prompt, negativePrompt: negativePrompt ?? "", width: width, height: height, steps: steps,
            seed: seed, cfgScale: cfgScale, sampler: Self.nonEmpty(sampler) ?? defaults.sampler,
            model: Self.nonEmpty(model) ?? defaults.model, loras: loras, batchSize: batchSize
        )
    }

    private static func checkedDimension(_ value: Int, field: String) throws(ValidationError) -> Int {
        guard GenerationLimits.dimension.contains(value), value % GenerationLimits.dimensionMultiple == 0 else {
            throw .invalidDimension(field: field, value: value)
        }
        return value
    }

    private static func resolvedSeed(_ seed: Int64?, randomSeed: () -> Int64) throws(ValidationError) -> Int64 {
        switch seed {
        case nil, -1: return randomSeed()
        case let seed? where GenerationLimits.seed.contains(seed): return seed
        case let seed?: throw .invalidSeed(seed)
        }
    }

    private static func checkLoRAs(_ loras: [LoRA]) throws(ValidationError) {
        guard loras.count <= GenerationLimits.loraCount else { throw .tooManyLoRAs(loras.count) }
        for (index, lora) in loras.enumerated() {
            guard !lora.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
                lora.strength.isFinite, GenerationLimits.loraStrength.contains(lora.strength)
            else { throw .invalidLoRA(index: index) }
        }
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
