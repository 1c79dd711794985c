import DarkroomCore
import Foundation

/// The `{{name}}` values of one job, and their substitution into a template (see ``ComfyUIWorkflowTemplate``).
///
/// Substitution scans the template's strings once, so a prompt that itself contains `{{seed}}` is left alone.
struct ComfyUIPlaceholders {
    /// Placeholders that become JSON numbers when they are a whole string.
    static let numeric: Set<String> = ["seed", "steps", "width", "height", "batch_size", "cfg", "lora_strength"]
    /// Placeholders that become strings.
    static let textual: Set<String> = [
        "prompt", "negative_prompt", "sampler", "scheduler", "unet", "clip", "vae", "weight_dtype", "lora_name",
        "filename_prefix",
    ]
    static let known = numeric.union(textual)
    /// Thrown for `{{lora_name}}`/`{{lora_strength}}` when the job has no LoRA (one message, whichever comes first).
    static let noLoRA = BackendError.rejected(
        "the ComfyUI workflow template needs a LoRA ({{lora_name}}, {{lora_strength}}), and the job has none")

    private var values: [String: BackendJSON]

    init(request: GenerationRequest, catalog: ModelCatalog, filenamePrefix: String) {
        let model = catalog.comfyUIModel(request.model)
        values = [
            "seed": .int(request.seed), "steps": .int(Int64(request.steps)), "width": .int(Int64(request.width)),
            "height": .int(Int64(request.height)), "batch_size": .int(Int64(request.batchSize)),
            "cfg": .double(request.cfgScale), "prompt": .string(request.prompt),
            "negative_prompt": .string(request.negativePrompt),
            "sampler": .string(catalog.comfyUISampler(request.sampler)),
            "scheduler": .string(catalog.comfyUIScheduler), "unet": .string(model.unet), "clip": .string(model.clip),
            "vae": .string(model.vae), "weight_dtype": .string(model.weightDtype),
            "filename_prefix": .string(filenamePrefix),
        ]
        if let lora = request.loras.first {
            values["lora_name"] = .string(catalog.comfyUILoRA(lora.name))
            values["lora_strength"] = .double(lora.strength)
        }
    }

    /// `template` with every placeholder replaced.
    ///
    /// - Throws: ``BackendError/rejected(_:)`` for `{{lora_name}}`/`{{lora_strength}}` when the job has no LoRA.
    func substitute(in template: BackendJSON) throws -> BackendJSON {
        switch template {
        case .string(let text):
            return try substitute(in: text)
        case .array(let elements):
            return .array(try elements.map { try substitute(in: $0) })
        case .object(let members):
            return .object(try members.mapValues { try substitute(in: $0) })
        default:
            return template
        }
    }

    private func substitute(in text: String) throws -> BackendJSON {
        let pieces = Self.split(text)
        if pieces.count == 1, case .placeholder(let name) = pieces[0] {
            return try value(name)
        }
        var result = ""
        for piece in pieces {
            switch piece {
            case .text(let text): result += text
            case .placeholder(let name): result += Self.text(of: try value(name))
            }
        }
        return .string(result)
    }

    private func value(_ name: String) throws -> BackendJSON {
        if let value = values[name] { return value }
        guard name.hasPrefix("lora_") else { return .string("{{\(name)}}") }
        throw Self.noLoRA
    }

    private static func text(of value: BackendJSON) -> String {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): "\(number)"
        default: ""
        }
    }

    /// Every placeholder name used anywhere in `value`.
    static func names(in value: BackendJSON) -> [String] {
        switch value {
        case .string(let text):
            split(text).compactMap { if case .placeholder(let name) = $0 { name } else { nil } }
        case .array(let elements):
            elements.flatMap(names(in:))
        case .object(let members):
            members.values.flatMap(names(in:))
        default:
            []
        }
    }

    enum Piece: Equatable {
        case text(String)
        case placeholder(String)
    }

    /// `text` cut into literal runs and `{{name}}` placeholders (a name has no braces).
    static func split(_ text: String) -> [Piece] {
        var pieces: [Piece] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{"),
            let close = rest[open.upperBound...].range(of: "}}")
        {
            let name = rest[open.upperBound..<close.lowerBound]
            if name.contains("{") || name.contains("}") {
                // "{{{seed}}": the first brace is literal; look again one character on.
                let next = rest.index(after: open.lowerBound)
                pieces.append(.text(String(rest[..<next])))
                rest = rest[next...]
                continue
            }
            if open.lowerBound > rest.startIndex { pieces.append(.text(String(rest[..<open.lowerBound]))) }
            pieces.append(.placeholder(String(name)))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty || pieces.isEmpty { pieces.append(.text(String(rest))) }
        return pieces
    }
}
