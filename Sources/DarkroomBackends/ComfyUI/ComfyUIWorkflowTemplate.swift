import DarkroomCore
import Foundation

/// The ComfyUI graph a job runs: the built-in Z-Image Turbo graph, or an API-format file with placeholders.
///
/// A file is an API-format graph (ComfyUI's "Export (API)") in which string values name the job's parameters.
/// A value that is exactly `"{{seed}}"`, `"{{steps}}"`, `"{{width}}"`, `"{{height}}"`, `"{{batch_size}}"`,
/// `"{{cfg}}"` or `"{{lora_strength}}"` becomes a JSON number; `{{prompt}}`, `{{negative_prompt}}`,
/// `{{sampler}}`, `{{scheduler}}`, `{{unet}}`, `{{clip}}`, `{{vae}}`, `{{weight_dtype}}`, `{{lora_name}}`
/// and `{{filename_prefix}}` become strings. Inside a longer string every placeholder is replaced by its text.
/// `{{lora_name}}`/`{{lora_strength}}` are the job's first LoRA; a template has a fixed number of loader nodes.
/// Files are checked when loaded (see ``ComfyUITemplateError``), so a bad file stops startup, not jobs.
public struct ComfyUIWorkflowTemplate: Sendable, Equatable {
    enum Source: Sendable, Equatable {
        case zImageTurbo
        case file(BackendJSON)
    }

    let source: Source

    /// Z-Image Turbo with its LoRAs chained as `LoraLoaderModelOnly` nodes (z-image-awportrait.md §3).
    public static let zImageTurbo = ComfyUIWorkflowTemplate(source: .zImageTurbo)

    /// Reads and checks an API-format template file.
    public static func load(contentsOf url: URL) throws -> ComfyUIWorkflowTemplate {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ComfyUITemplateError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        return try ComfyUIWorkflowTemplate(json: data)
    }

    /// Checks an API-format template: an object of nodes, each with a `class_type`, at least one `SaveImage`,
    /// and only known placeholders.
    public init(json data: Data) throws {
        let graph: BackendJSON
        do {
            graph = try JSONDecoder().decode(BackendJSON.self, from: data)
        } catch {
            throw ComfyUITemplateError.notJSON(reason: "\(error)")
        }
        try Self.validate(graph)
        self.init(source: .file(graph))
    }

    init(source: Source) {
        self.source = source
    }

    /// The API-format graph for `request`, whose `SaveImage` nodes write under `filenamePrefix`.
    ///
    /// - Throws: ``BackendError/rejected(_:)`` when a template needs a LoRA and the job has none.
    public func graph(
        for request: GenerationRequest, catalog: ModelCatalog, filenamePrefix: String
    ) throws -> BackendJSON {
        switch source {
        case .zImageTurbo:
            Self.zImageTurboGraph(for: request, catalog: catalog, filenamePrefix: filenamePrefix)
        case .file(let template):
            try ComfyUIPlaceholders(request: request, catalog: catalog, filenamePrefix: filenamePrefix)
                .substitute(in: template)
        }
    }

    /// The ids of the `SaveImage` nodes in `graph`, in numeric order where ids are numbers.
    static func saveImageNodeIDs(in graph: BackendJSON) -> [String] {
        let ids = (graph.objectValue ?? [:]).filter { $0.value["class_type"]?.stringValue == "SaveImage" }.map(\.key)
        return ids.sorted(by: nodeOrder)
    }

    /// Numeric ids by value ("2" before "10"), then the rest by text.
    static func nodeOrder(_ lhs: String, _ rhs: String) -> Bool {
        switch (Int(lhs), Int(rhs)) {
        case (let left?, let right?): left < right
        case (.some, nil): true
        case (nil, .some): false
        case (nil, nil): lhs < rhs
        }
    }

    static func validate(_ graph: BackendJSON) throws {
        guard let nodes = graph.objectValue else { throw ComfyUITemplateError.notAnObject }
        if nodes["nodes"] != nil, nodes["links"] != nil { throw ComfyUITemplateError.uiWorkflowFormat }
        guard !nodes.isEmpty else { throw ComfyUITemplateError.noSaveImage }
        for id in nodes.keys.sorted(by: nodeOrder) {
            guard let node = nodes[id], node.objectValue != nil else {
                throw ComfyUITemplateError.nodeNotAnObject(node: id)
            }
            guard node["class_type"]?.stringValue?.isEmpty == false else {
                throw ComfyUITemplateError.missingClassType(node: id)
            }
            if let inputs = node["inputs"], inputs.objectValue == nil {
                throw ComfyUITemplateError.inputsNotAnObject(node: id)
            }
            for name in ComfyUIPlaceholders.names(in: node) where !ComfyUIPlaceholders.known.contains(name) {
                throw ComfyUITemplateError.unknownPlaceholder(name: name, node: id)
            }
        }
        guard !saveImageNodeIDs(in: graph).isEmpty else { throw ComfyUITemplateError.noSaveImage }
    }
}
