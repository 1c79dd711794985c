/// How a simulated inference server behaves: which protocol it speaks, how fast its GPU is, how often
/// it fails, and which model files it has.
///
/// Timing follows ``DarkroomBackends/SimulatedBackend``: one 1024×1024 image at 8 steps takes
/// ``secondsPerImage``, and time scales with pixels, steps and batch size. The file names are what the
/// server lists and validates against (ComfyUI's `value_not_in_list`, A1111's `/sdapi/v1/loras`); the
/// defaults are the Z-Image-Turbo files of the official ComfyUI template plus AWPortrait-Z.
public struct SimulatorConfiguration: Sendable, Equatable {
    /// The server being imitated.
    public var `protocol`: SimulatorProtocol
    /// Seconds for one 1024×1024 image at 8 steps (0 means instant).
    public var secondsPerImage: Double
    /// Fraction (0…1) of requests that fail: A1111 a 500 `RuntimeError` part way through a generation,
    /// ComfyUI a 500 text answer to `POST /prompt`.
    public var failureRate: Double
    /// Fraction (0…1) of generations that run out of GPU memory part way through.
    public var oomRate: Double
    /// The LoRA files the server has (`models/loras`).
    public var loraFiles: [String]
    /// The A1111 checkpoint file (`models/Stable-diffusion`).
    public var checkpointFile: String
    /// The ComfyUI diffusion model file (`models/diffusion_models`).
    public var unetFile: String
    /// The text encoder file (`models/text_encoders`).
    public var clipFile: String
    /// The VAE file (`models/vae`).
    public var vaeFile: String
    /// The simulated GPU's memory in bytes (24 GiB, an RTX 4090).
    public var gpuMemoryBytes: Int64
    /// The size of each PNG, like a real server's (about 1.5 MB at 1024×1024); `nil` keeps the small gradient.
    public var pngBytes: Int?
    /// ComfyUI: whether the sampler sends a binary preview frame after each step, as a server started with
    /// `--preview-method latent2rgb` does (a PNG the latent's size). Off by default, as upstream's `none`.
    public var sendsPreviews = false

    /// The largest ``pngBytes`` accepted.
    public static let maxPNGBytes = 64 << 20

    /// A configuration with the Z-Image-Turbo defaults; every value can be overridden.
    public init(
        protocol: SimulatorProtocol, secondsPerImage: Double = 0.8, failureRate: Double = 0, oomRate: Double = 0,
        loraFiles: [String] = ["AWPortrait-Z.safetensors"], checkpointFile: String = "z_image_turbo_bf16.safetensors",
        unetFile: String = "z_image_turbo_bf16.safetensors", clipFile: String = "qwen_3_4b.safetensors",
        vaeFile: String = "ae.safetensors", gpuMemoryBytes: Int64 = 24 << 30, pngBytes: Int? = nil
    ) {
        self.protocol = `protocol`
        self.secondsPerImage = secondsPerImage
        self.failureRate = failureRate
        self.oomRate = oomRate
        self.loraFiles = loraFiles
        self.checkpointFile = checkpointFile
        self.unetFile = unetFile
        self.clipFile = clipFile
        self.vaeFile = vaeFile
        self.gpuMemoryBytes = gpuMemoryBytes
        self.pngBytes = pngBytes
    }

    /// Checks every value; a server must not start with a configuration that fails this.
    ///
    /// - Throws: ``SimulatorConfigurationError`` naming the first bad value.
    public func validate() throws(SimulatorConfigurationError) {
        guard secondsPerImage >= 0, secondsPerImage.isFinite else { throw .negativeSeconds(secondsPerImage) }
        guard (0...1).contains(failureRate) else { throw .rateOutOfRange(name: "failure rate", value: failureRate) }
        guard (0...1).contains(oomRate) else { throw .rateOutOfRange(name: "OOM rate", value: oomRate) }
        for file in loraFiles + [checkpointFile, unetFile, clipFile, vaeFile] where !Self.isPlainFileName(file) {
            throw .badFileName(file)
        }
        guard gpuMemoryBytes >= 1 << 30 else { throw .tooLittleMemory(gpuMemoryBytes) }
        if let pngBytes, !(0...Self.maxPNGBytes).contains(pngBytes) { throw .pngSizeOutOfRange(pngBytes) }
    }

    private static func isPlainFileName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix("/") && !name.contains("..") && !name.contains("\n")
    }
}
