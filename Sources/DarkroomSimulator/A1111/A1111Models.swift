/// The model files the simulated WebUI has, described the way A1111 lists them.
struct A1111Models: Sendable {
    /// Where the simulated WebUI pretends to be installed.
    static let root = "/opt/stable-diffusion-webui"

    struct Checkpoint: Sendable {
        var file: String
        var name: String { stem(file) }
        var sha256: String { FakeHash.sha256(of: file) }
        var shorthash: String { String(sha256.prefix(10)) }
        var title: String { "\(file) [\(shorthash)]" }
        var path: String { "\(A1111Models.root)/models/Stable-diffusion/\(file)" }

        /// The values `sd_model_checkpoint` accepts (A1111's `checkpoint_aliases`).
        var aliases: [String] { [title, file, name, shorthash, sha256, path] }
    }

    struct LoRA: Sendable {
        var file: String
        var name: String { stem(file) }
        var path: String { "\(A1111Models.root)/models/Lora/\(file)" }
        /// The 12-digit hash `Lora hashes` reports.
        var shorthash: String { String(FakeHash.sha256(of: file).prefix(12)) }
    }

    let checkpoint: Checkpoint
    let loras: [LoRA]
    /// Text encoder and VAE, which Forge lists under `/sdapi/v1/sd-modules`.
    let modules: [(name: String, path: String)]

    init(configuration: SimulatorConfiguration) {
        checkpoint = Checkpoint(file: configuration.checkpointFile)
        loras = configuration.loraFiles.map { LoRA(file: $0) }
        modules = [
            (configuration.clipFile, "\(Self.root)/models/text_encoder/\(configuration.clipFile)"),
            (configuration.vaeFile, "\(Self.root)/models/VAE/\(configuration.vaeFile)"),
        ]
    }

    /// The LoRA a prompt tag names (file name without extension), if the server has it.
    func lora(named name: String) -> LoRA? {
        loras.first { $0.name == name }
    }

    /// A file name without its extension.
    static func stem(_ file: String) -> String {
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }
}

private func stem(_ file: String) -> String { A1111Models.stem(file) }
