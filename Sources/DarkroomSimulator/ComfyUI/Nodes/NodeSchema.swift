import DarkroomWire

/// One ComfyUI node class as `/object_info` describes it: its inputs (in `INPUT_TYPES` order), output
/// types, and whether it is an output node.
struct NodeSchema: Sendable {
    /// What an input accepts.
    enum Kind: Sendable {
        /// A link from another node's output of this type (`MODEL`, `CLIP`, `LATENT`, …).
        case link(String)
        case int(default: Int64, min: Double, max: Double, step: Int64? = nil)
        case float(default: Double, min: Double, max: Double, step: Double)
        case string(default: String?, multiline: Bool = false)
        /// A choice from a list (file names, sampler names).
        case combo([String])

        /// The type name links are checked against (`validate_node_input`).
        var typeName: String {
            switch self {
            case .link(let name): name
            case .int: "INT"
            case .float: "FLOAT"
            case .string: "STRING"
            case .combo: "COMBO"
            }
        }

        /// `INPUT_TYPES()[category][name]` as JSON: `["INT", {"default": …}]` or `[["a", "b"]]`.
        var declaration: JSONValue {
            switch self {
            case .link(let name): [.string(name)]
            case .combo(let options): [.strings(options)]
            default: [.string(typeName), .object(options)]
            }
        }

        /// The options dictionary (`extra_info`) of a widget input.
        var options: JSONObject {
            switch self {
            case .link, .combo:
                return [:]
            case .int(let value, let min, let max, let step):
                var options: JSONObject = [
                    "default": .int(value), "min": Self.integral(min), "max": Self.integral(max),
                ]
                if let step { options["step"] = .int(step) }
                return options
            case .float(let value, let min, let max, let step):
                return ["default": .double(value), "min": .double(min), "max": .double(max), "step": .double(step)]
            case .string(let value, let multiline):
                var options: JSONObject = [:]
                if let value { options["default"] = .string(value) }
                if multiline {
                    options["multiline"] = true
                    options["dynamicPrompts"] = true
                }
                return options
            }
        }

        private static func integral(_ value: Double) -> JSONValue {
            value < 9.2e18 ? .int(Int64(value)) : .double(value)
        }
    }

    struct Input: Sendable {
        var name: String
        var kind: Kind
        var isRequired = true
    }

    var name: String
    var displayName: String
    var category: String
    var pythonModule = "nodes"
    var inputs: [Input]
    var outputs: [String]
    var isOutputNode = false
    var description = ""

    /// The `GET /object_info/{class}` entry.
    var objectInfo: JSONValue {
        var required = JSONObject()
        var optional = JSONObject()
        for input in inputs {
            if input.isRequired {
                required[input.name] = input.kind.declaration
            } else {
                optional[input.name] = input.kind.declaration
            }
        }
        var input: JSONObject = ["required": .object(required)]
        if !optional.isEmpty { input["optional"] = .object(optional) }
        var order: JSONObject = ["required": .strings(inputs.filter(\.isRequired).map(\.name))]
        if !optional.isEmpty { order["optional"] = .strings(inputs.filter { !$0.isRequired }.map(\.name)) }
        return [
            "input": .object(input), "input_order": .object(order), "output": .strings(outputs),
            "output_is_list": .array(outputs.map { _ in false }), "output_name": .strings(outputs),
            "name": .string(name), "display_name": .string(displayName), "description": .string(description),
            "python_module": .string(pythonModule), "category": .string(category), "output_node": .bool(isOutputNode),
        ]
    }
}
