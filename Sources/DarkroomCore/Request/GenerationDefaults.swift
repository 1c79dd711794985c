/// The values a request gets for the fields it leaves out.
///
/// ``awPortraitZ`` follows the Z-Image Turbo + AWPortrait-Z settings: 1024×1024, 8 steps, no CFG (1.0),
/// the AWPortrait-Z LoRA at strength 1.0.
public struct GenerationDefaults: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var steps: Int
    public var cfgScale: Double
    public var sampler: String
    public var model: String
    public var loras: [LoRA]

    public init(width: Int, height: Int, steps: Int, cfgScale: Double, sampler: String, model: String, loras: [LoRA]) {
        self.width = width
        self.height = height
        self.steps = steps
        self.cfgScale = cfgScale
        self.sampler = sampler
        self.model = model
        self.loras = loras
    }

    /// Z-Image Turbo with the AWPortrait-Z portrait LoRA.
    public static let awPortraitZ = GenerationDefaults(
        width: 1024, height: 1024, steps: 8, cfgScale: 1.0, sampler: "res_multistep",
        model: "z_image_turbo_bf16", loras: [LoRA(name: "AWPortrait-Z", strength: 1.0)]
    )
}
