import DarkroomWire

/// ComfyUI's prompt validation (`execution.validate_prompt` / `validate_inputs`) for the node classes of a
/// ``NodeCatalog``, with the same error types, messages and quirks.
///
/// Every node needs a known `class_type`; at least one output node is needed; each output is validated
/// with everything it depends on. Per-input errors are `required_input_missing`, `bad_linked_input`,
/// `return_type_mismatch`, `invalid_input_type`, `value_smaller_than_min`, `value_bigger_than_max` and
/// `value_not_in_list`; a broken link is an exception reported on the node that holds it.
struct PromptValidator {
    /// Whether a node and all it depends on are valid, and its own errors.
    typealias Verdict = (isValid: Bool, reasons: [JSONValue])

    let catalog: NodeCatalog
    let prompt: JSONObject
    /// Results in the order they were recorded (Python dict order matters for `node_errors`).
    private var order: [String] = []
    private var verdicts: [String: Verdict] = [:]
    private var visiting: Set<String> = []

    /// Validates `prompt`, running only `targets` when given (`partial_execution_targets`).
    static func validate(_ prompt: JSONObject, targets: [String]?, catalog: NodeCatalog) -> PromptValidation {
        var outputs: [String] = []
        for (id, node) in prompt.members {
            guard let classValue = node["class_type"] else {
                return .refused(
                    type: "invalid_prompt",
                    message: "Cannot execute because a node is missing the class_type property.",
                    details: "Node ID '#\(id)'")
            }
            guard let className = classValue.string, let schema = catalog.schemas[className] else {
                return .refused(
                    type: "invalid_prompt",
                    message: "Cannot execute because node \(PythonRepr.str(classValue)) does not exist.",
                    details: "Node ID '#\(id)'")
            }
            if schema.isOutputNode, targets?.contains(id) ?? true { outputs.append(id) }
        }
        guard !outputs.isEmpty else {
            return .refused(type: "prompt_no_outputs", message: "Prompt has no outputs", details: "")
        }
        var validator = PromptValidator(catalog: catalog, prompt: prompt)
        return validator.validate(outputs: outputs)
    }

    private mutating func validate(outputs: [String]) -> PromptValidation {
        var good: [String] = []
        var failures: [[JSONValue]] = []
        var nodeErrors = JSONObject()
        for output in outputs {
            var verdict: Verdict
            do {
                verdict = try validateInputs(output)
            } catch {
                verdict = (
                    false,
                    [
                        PromptValidation.reason(
                            type: "exception_during_validation", message: "Exception when validating node",
                            details: error.message,
                            extraInfo: ["exception_type": .string(error.type), "traceback": Self.traceback])
                    ]
                )
                record(output, verdict)
            }
            if verdict.isValid {
                good.append(output)
                continue
            }
            failures.append(verdict.reasons)
            // As upstream: every invalid node with errors recorded so far counts this output as dependent.
            for id in order {
                guard let recorded = verdicts[id], !recorded.isValid, !recorded.reasons.isEmpty else { continue }
                var entry =
                    nodeErrors[id]?.object ?? [
                        "errors": .array(recorded.reasons), "dependent_outputs": [],
                        "class_type": prompt[id]?["class_type"] ?? .null,
                    ]
                entry["dependent_outputs"] = .array((entry["dependent_outputs"]?.array ?? []) + [.string(output)])
                nodeErrors[id] = .object(entry)
            }
        }
        guard good.isEmpty else { return PromptValidation(error: nil, goodOutputs: good, nodeErrors: nodeErrors) }
        let details = failures.joined().map { reason in
            "\(reason["message"]?.string ?? ""): \(reason["details"]?.string ?? "")"
        }
        return PromptValidation(
            error: PromptValidation.reason(
                type: "prompt_outputs_failed_validation", message: "Prompt outputs failed validation",
                details: details.joined(separator: "\n")),
            goodOutputs: [], nodeErrors: nodeErrors)
    }

    private mutating func record(_ id: String, _ verdict: Verdict) {
        if verdicts[id] == nil { order.append(id) }
        verdicts[id] = verdict
    }

    /// `validate_inputs` for node `id`: its own inputs, then (recursively, at most
    /// ``PythonRecursion/limit`` deep) every node it links to.
    ///
    /// The recursion runs through this function and ``validateLinked(_:link:input:)`` only; the checks
    /// live in non-recursive helpers, so each level's stack frames stay small.
    ///
    /// - Throws: a Python-style exception for a link that names a missing node or output slot; the
    ///   caller reports it on this node.
    private mutating func validateInputs(_ id: String) throws(PythonCoercion.Failure) -> Verdict {
        if let verdict = verdicts[id] { return verdict }
        let (inputs, schemaInputs) = try enter(id)
        defer { visiting.remove(id) }
        var reasons: [JSONValue] = []
        var isValid = true
        for input in schemaInputs {
            switch try check(inputs[input.name], input: input) {
            case .valid: break
            case .error(let reason): reasons.append(reason)
            case .linked(let sourceID, let link):
                if !validateLinked(sourceID, link: link, input: input) { isValid = false }
            }
        }
        let verdict = (isValid && reasons.isEmpty, reasons)
        record(id, verdict)
        return verdict
    }

    /// Starts validating node `id`: marks it as being visited and returns its inputs and its class's.
    ///
    /// - Throws: `RecursionError` for a cycle or a chain of links deeper than Python's recursion limit;
    ///   `KeyError` for a missing node, `inputs` or known `class_type`.
    private mutating func enter(_ id: String) throws(PythonCoercion.Failure) -> (JSONObject, [NodeSchema.Input]) {
        guard !visiting.contains(id), visiting.count < PythonRecursion.limit else {
            throw .init(type: "RecursionError", message: "maximum recursion depth exceeded")
        }
        guard let node = prompt[id]?.object else { throw .init(type: "KeyError", message: PythonRepr.string(id)) }
        guard let inputs = node["inputs"]?.object else { throw .init(type: "KeyError", message: "'inputs'") }
        guard let schema = node["class_type"]?.string.flatMap({ catalog.schemas[$0] }) else {
            throw .init(type: "KeyError", message: "'class_type'")
        }
        visiting.insert(id)
        return (inputs, schema.inputs)
    }

    /// What one input's check found.
    private enum InputCheck {
        case valid
        case error(JSONValue)
        /// A well-formed link to node `source`, still to be validated.
        case linked(source: String, link: [JSONValue])
    }

    /// Checks input `input` given `value` (absent, a widget value or a link) without following a link.
    ///
    /// - Throws: `KeyError` or `IndexError` for a link to a missing node or output slot.
    private func check(_ value: JSONValue?, input: NodeSchema.Input) throws(PythonCoercion.Failure) -> InputCheck {
        guard let value else { return input.isRequired ? .error(Self.requiredInputMissing(input)) : .valid }
        guard case .array(let link) = value else {
            return Self.checkWidget(value, input: input).map { .error($0) } ?? .valid
        }
        guard link.count == 2 else { return .error(Self.badLinkedInput(link, input: input)) }
        let sourceID = link[0].string ?? ""
        guard link[0].string != nil, let source = prompt[sourceID], let sourceClass = source["class_type"]?.string,
            let sourceSchema = catalog.schemas[sourceClass]
        else { throw .init(type: "KeyError", message: PythonRepr.repr(link[0])) }
        let receivedType = try Self.outputType(sourceSchema.outputs, slot: link[1])
        let expected = input.kind.typeName
        guard receivedType == expected || receivedType == "*" || expected == "*" else {
            return .error(Self.returnTypeMismatch(link, input: input, receivedType: receivedType))
        }
        return .linked(source: sourceID, link: link)
    }

    /// Validates the node a link points at; an exception there is recorded on that node.
    ///
    /// - Returns: whether it and everything it depends on are valid.
    private mutating func validateLinked(_ sourceID: String, link: [JSONValue], input: NodeSchema.Input) -> Bool {
        do {
            return try validateInputs(sourceID).isValid
        } catch {
            record(sourceID, (false, [Self.innerException(error, link: link, input: input)]))
            return false
        }
    }

    /// `RETURN_TYPES[slot]` with Python's indexing rules (negative indices count from the end).
    private static func outputType(_ outputs: [String], slot: JSONValue) throws(PythonCoercion.Failure) -> String {
        let index: Int64
        switch slot {
        case .int(let value): index = value
        case .bool(let flag): index = flag ? 1 : 0
        default:
            throw .init(
                type: "TypeError",
                message: "tuple indices must be integers or slices, not \(PythonCoercion.typeName(slot))")
        }
        let position = index < 0 ? Int64(outputs.count) + index : index
        guard position >= 0, position < outputs.count else {
            throw .init(type: "IndexError", message: "tuple index out of range")
        }
        return outputs[Int(position)]
    }

    /// `(input_type, extra_info)`, the `input_config` of error entries.
    static func inputConfig(_ input: NodeSchema.Input) -> JSONValue {
        switch input.kind {
        case .link(let name): [.string(name), [:]]
        case .combo(let options): [.strings(options), [:]]
        default: [.string(input.kind.typeName), .object(input.kind.options)]
        }
    }

    /// A stand-in for the Python traceback lines upstream includes.
    static let traceback: JSONValue = [
        .string(
            "  File \"/ComfyUI/execution.py\", line 742, in validate_inputs\n"
                + "    o_class_type = prompt[o_id]['class_type']\n")
    ]
}
