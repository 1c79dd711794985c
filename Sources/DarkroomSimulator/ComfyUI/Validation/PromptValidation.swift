import DarkroomWire

/// The result of validating a `/prompt` graph, as ComfyUI's `validate_prompt` returns it.
struct PromptValidation: Sendable {
    /// The top-level error (`{"type", "message", "details", "extra_info"}`) when the prompt is refused.
    var error: JSONValue?
    /// The output nodes that passed and will run, in graph order.
    var goodOutputs: [String]
    /// Per-node errors (`{"errors", "dependent_outputs", "class_type"}`); may be non-empty even when valid.
    var nodeErrors: JSONObject

    var isValid: Bool { error == nil }

    /// A refusal before any node was checked (`invalid_prompt`, `prompt_no_outputs`).
    static func refused(type: String, message: String, details: String) -> PromptValidation {
        PromptValidation(
            error: reason(type: type, message: message, details: details), goodOutputs: [], nodeErrors: [:])
    }

    /// One error entry: `{"type", "message", "details", "extra_info"}`.
    static func reason(type: String, message: String, details: String, extraInfo: JSONObject = [:]) -> JSONValue {
        [
            "type": .string(type), "message": .string(message), "details": .string(details),
            "extra_info": .object(extraInfo),
        ]
    }
}
