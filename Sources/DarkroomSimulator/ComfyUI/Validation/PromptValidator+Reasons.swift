import DarkroomWire

extension PromptValidator {
    /// `required_input_missing`: a required input is absent.
    static func requiredInputMissing(_ input: NodeSchema.Input) -> JSONValue {
        PromptValidation.reason(
            type: "required_input_missing", message: "Required input is missing", details: input.name,
            extraInfo: ["input_name": .string(input.name)])
    }

    /// `bad_linked_input`: a link that is not `[node_id, slot_index]`.
    static func badLinkedInput(_ link: [JSONValue], input: NodeSchema.Input) -> JSONValue {
        PromptValidation.reason(
            type: "bad_linked_input", message: "Bad linked input, must be a length-2 list of [node_id, slot_index]",
            details: input.name,
            extraInfo: [
                "input_name": .string(input.name), "input_config": inputConfig(input), "received_value": .array(link),
            ])
    }

    /// `return_type_mismatch`: the linked output's type is not the input's.
    static func returnTypeMismatch(_ link: [JSONValue], input: NodeSchema.Input, receivedType: String) -> JSONValue {
        PromptValidation.reason(
            type: "return_type_mismatch", message: "Return type mismatch between linked nodes",
            details: "\(input.name), received_type(\(receivedType)) mismatch input_type(\(input.kind.typeName))",
            extraInfo: [
                "input_name": .string(input.name), "input_config": inputConfig(input),
                "received_type": .string(receivedType), "linked_node": .array(link),
            ])
    }

    /// `exception_during_inner_validation`: validating the linked node raised `error`.
    static func innerException(_ error: PythonCoercion.Failure, link: [JSONValue], input: NodeSchema.Input)
        -> JSONValue
    {
        PromptValidation.reason(
            type: "exception_during_inner_validation", message: "Exception when validating inner node",
            details: error.message,
            extraInfo: [
                "input_name": .string(input.name), "input_config": inputConfig(input),
                "exception_message": .string(error.message), "exception_type": .string(error.type),
                "traceback": traceback, "linked_node": .array(link),
            ])
    }
}
