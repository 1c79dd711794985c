/// Why a ComfyUI workflow template file cannot be used.
///
/// Thrown at startup by ``ComfyUIWorkflowTemplate/load(contentsOf:)``, so a bad file never reaches a job.
public enum ComfyUITemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The file is not JSON.
    case notJSON(reason: String)
    /// The JSON is not an object of nodes.
    case notAnObject
    /// The file is a UI workflow (`nodes`/`links`), which `/prompt` rejects.
    case uiWorkflowFormat
    /// A node is not a JSON object.
    case nodeNotAnObject(node: String)
    /// A node has no `class_type` string.
    case missingClassType(node: String)
    /// A node's `inputs` is present but not an object.
    case inputsNotAnObject(node: String)
    /// No `SaveImage` node: there would be no images to fetch.
    case noSaveImage
    /// A `{{name}}` Darkroom does not know.
    case unknownPlaceholder(name: String, node: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read the ComfyUI workflow template \(path): \(reason)"
        case .notJSON(let reason): "the ComfyUI workflow template is not valid JSON: \(reason)"
        case .notAnObject: "the ComfyUI workflow template must be a JSON object mapping node ids to nodes (API format)"
        case .uiWorkflowFormat:
            "the ComfyUI workflow template is a UI workflow (nodes/links); export it with \"Export (API)\" instead"
        case .nodeNotAnObject(let node): "node \(node) of the ComfyUI workflow template is not a JSON object"
        case .missingClassType(let node): "node \(node) of the ComfyUI workflow template has no class_type"
        case .inputsNotAnObject(let node):
            "the inputs of node \(node) of the ComfyUI workflow template are not an object"
        case .noSaveImage: "the ComfyUI workflow template has no SaveImage node, so it would produce no images"
        case .unknownPlaceholder(let name, let node):
            "node \(node) of the ComfyUI workflow template uses the unknown placeholder {{\(name)}}"
        }
    }
}
