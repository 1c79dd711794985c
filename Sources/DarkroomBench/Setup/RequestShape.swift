import DarkroomCore

/// What every transaction asks for: the seed's load-test request, AWPortrait-Z on Z-Image.
///
/// Defaults come from ``GenerationDefaults/awPortraitZ``: 1024×1024, 8 steps, the AWPortrait-Z LoRA at 1.0.
public struct RequestShape: Sendable, Equatable {
    public var prompt: String
    public var width: Int
    public var height: Int
    public var steps: Int
    /// The LoRA every request applies (`AWPortrait-Z`).
    public var loraName: String
    public var loraStrength: Double

    public init(
        prompt: String = "a studio portrait, soft window light",
        width: Int = GenerationDefaults.awPortraitZ.width,
        height: Int = GenerationDefaults.awPortraitZ.height,
        steps: Int = GenerationDefaults.awPortraitZ.steps,
        loraName: String = GenerationDefaults.awPortraitZ.loras.first?.name ?? "AWPortrait-Z",
        loraStrength: Double = GenerationDefaults.awPortraitZ.loras.first?.strength ?? 1.0
    ) {
        self.prompt = prompt
        self.width = width
        self.height = height
        self.steps = steps
        self.loraName = loraName
        self.loraStrength = loraStrength
    }

    /// One line for the report: `1024×1024, 8 steps, AWPortrait-Z 1.0`.
    public var summary: String { "\(width)×\(height), \(steps) steps, \(loraName) \(loraStrength)" }
}
