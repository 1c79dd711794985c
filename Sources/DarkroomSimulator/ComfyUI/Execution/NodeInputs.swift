import DarkroomWire

/// A node's inputs while it runs: literal widget values converted as validation did, and linked values
/// looked up in what upstream nodes produced.
struct NodeInputs: Sendable {
    let node: JSONObject
    let values: [String: [NodeValue]]

    var classType: String { node["class_type"]?.string ?? "" }
    private var inputs: JSONObject { node["inputs"]?.object ?? [:] }

    /// The literal value of input `name` (a `{"__value__": …}` wrapper unwrapped), `nil` for a link.
    func literal(_ name: String) -> JSONValue? {
        guard let value = inputs[name] else { return nil }
        if case .array = value { return nil }
        if case .object(let wrapper) = value, let inner = wrapper["__value__"] { return inner }
        return value
    }

    /// The integer value of input `name`. Values past `Int64.max` (legal only for seeds, up to
    /// 0xffff_ffff_ffff_ffff) keep their 64 bits, as torch reads them; anything beyond is clamped.
    func int(_ name: String) -> Int64? {
        guard let value = literal(name), let number = try? PythonCoercion.int(value) else { return nil }
        if let exact = Int64(exactly: number) { return exact }
        // 18446744073709551615 arrives as the double 2^64, one past UInt64.max.
        if number >= 0x1p64 { return Int64(bitPattern: .max) }
        if number > 0 { return Int64(bitPattern: UInt64(number)) }
        return .min
    }

    func string(_ name: String) -> String? { literal(name).map(PythonCoercion.str) }

    /// The value linked into input `name`, if that node has run.
    func linked(_ name: String) -> NodeValue? {
        guard case .array(let link)? = inputs[name], link.count == 2, let source = link[0].string,
            case .int(let slot) = link[1], let outputs = values[source], outputs.indices.contains(Int(slot))
        else { return nil }
        return outputs[Int(slot)]
    }

    /// `current_inputs` of an error report: each input as a one-element list, objects as their repr.
    var formatted: JSONObject {
        var formatted = JSONObject()
        for (name, value) in inputs.members {
            if case .array(let link) = value, link.count == 2 {
                formatted[name] = [.string(Self.placeholder(linked(name)))]
            } else {
                formatted[name] = [literal(name) ?? value]
            }
        }
        return formatted
    }

    private static func placeholder(_ value: NodeValue?) -> String {
        switch value {
        case .latent(let latent)?:
            "{'samples': tensor([[[[...]]]], device='cuda:0', size=(\(latent.batchSize), 16, \(latent.height / 8), \(latent.width / 8)))}"
        case .image(let latent)?:
            "tensor([[[[...]]]], size=(\(latent.batchSize), \(latent.height), \(latent.width), 3))"
        case .opaque(let type)?: "<comfy.\(type.lowercased()) object at 0x7f3c2a1b4d60>"
        case nil: "None"
        }
    }
}
