/// Why a generation request was refused. Each case has a stable snake_case ``code`` and names its ``field``.
///
/// Shipped codes never change; clients match on them.
public enum ValidationError: Error, Sendable, Equatable {
    case emptyPrompt
    case promptTooLong(length: Int)
    case negativePromptTooLong(length: Int)
    case invalidDimension(field: String, value: Int)
    case invalidSteps(Int)
    case invalidBatchSize(Int)
    case invalidSeed(Int64)
    case invalidCFGScale(Double)
    case invalidLoRA(index: Int)
    case tooManyLoRAs(Int)
    case invalidPriority(Int)

    /// The stable machine-readable code.
    public var code: String {
        switch self {
        case .emptyPrompt: "prompt_empty"
        case .promptTooLong: "prompt_too_long"
        case .negativePromptTooLong: "negative_prompt_too_long"
        case .invalidDimension: "invalid_dimension"
        case .invalidSteps: "invalid_steps"
        case .invalidBatchSize: "invalid_batch_size"
        case .invalidSeed: "invalid_seed"
        case .invalidCFGScale: "invalid_cfg_scale"
        case .invalidLoRA, .tooManyLoRAs: "invalid_lora"
        case .invalidPriority: "invalid_priority"
        }
    }

    /// The request field at fault, in the API's snake_case names.
    public var field: String {
        switch self {
        case .emptyPrompt, .promptTooLong: "prompt"
        case .negativePromptTooLong: "negative_prompt"
        case .invalidDimension(let field, _): field
        case .invalidSteps: "steps"
        case .invalidBatchSize: "batch_size"
        case .invalidSeed: "seed"
        case .invalidCFGScale: "cfg_scale"
        case .invalidLoRA(let index): "loras[\(index)]"
        case .tooManyLoRAs: "loras"
        case .invalidPriority: "priority"
        }
    }

    /// A sentence for people, naming the rule that was broken.
    public var message: String {
        switch self {
        case .emptyPrompt:
            "prompt must not be empty"
        case .promptTooLong(let length):
            "prompt has \(length) characters; the limit is \(GenerationLimits.promptLength)"
        case .negativePromptTooLong(let length):
            "negative_prompt has \(length) characters; the limit is \(GenerationLimits.promptLength)"
        case .invalidDimension(let field, let value):
            "\(field) is \(value); it must be a multiple of 16 within 256…2048"
        case .invalidSteps(let value):
            "steps is \(value); it must be within 1…100"
        case .invalidBatchSize(let value):
            "batch_size is \(value); it must be within 1…8"
        case .invalidSeed(let value):
            "seed is \(value); it must be -1 (random) or within 0…4294967295"
        case .invalidCFGScale(let value):
            "cfg_scale is \(value); it must be within 0…30"
        case .invalidLoRA(let index):
            "loras[\(index)] needs a non-empty name and a strength within -4…4"
        case .tooManyLoRAs(let count):
            "\(count) LoRAs given; at most \(GenerationLimits.loraCount) are allowed"
        case .invalidPriority(let value):
            "priority is \(value); it must be within 0…9"
        }
    }
}
