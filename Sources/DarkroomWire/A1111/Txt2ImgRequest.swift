/// The body of `POST /sdapi/v1/txt2img` after pydantic-style validation: every field optional, unknown keys
/// ignored, defaults from A1111's `StableDiffusionProcessingTxt2Img`.
package struct Txt2ImgRequest: Sendable {
    /// Every field of the request model, coerced, with defaults for the ones not sent: the `parameters`
    /// echo of the response (A1111 returns `vars(txt2imgreq)`).
    package var parameters: JSONObject
    /// Keys of the body that are not fields of the model, which pydantic drops.
    package var unknownFields: [String] = []

    package var prompt: String { parameters["prompt"]?.string ?? "" }
    package var negativePrompt: String { parameters["negative_prompt"]?.string ?? "" }
    package var seed: Int64 { integer("seed", default: -1) }
    package var subseed: Int64 { integer("subseed", default: -1) }
    package var subseedStrength: Double { parameters["subseed_strength"]?.number ?? 0 }
    /// `sampler_name`, falling back to the legacy `sampler_index` ("Euler") when empty, as A1111 does.
    package var requestedSampler: String {
        if let name = parameters["sampler_name"]?.string, !name.isEmpty { return name }
        return parameters["sampler_index"]?.string ?? "Euler"
    }
    package var scheduler: String? { parameters["scheduler"]?.string }
    package var batchSize: Int { Int(integer("batch_size", default: 1)) }
    package var iterations: Int { Int(integer("n_iter", default: 1)) }
    package var steps: Int { Int(integer("steps", default: 50)) }
    package var cfgScale: Double { parameters["cfg_scale"]?.number ?? 7 }
    package var width: Int { Int(integer("width", default: 512)) }
    package var height: Int { Int(integer("height", default: 512)) }
    package var sendImages: Bool { parameters["send_images"] != .bool(false) }
    package var disableExtraNetworks: Bool { parameters["disable_extra_networks"] == .bool(true) }
    package var forceTaskID: String? { parameters["force_task_id"]?.string }
    package var styles: [String] { parameters["styles"]?.array?.compactMap(\.string) ?? [] }

    private func integer(_ name: String, default value: Int64) -> Int64 {
        if case .int(let number) = parameters[name] { return number }
        return value
    }

    /// Validates `body` like FastAPI with pydantic v1: malformed JSON, a non-object or a badly typed field
    /// is a 422 listing every problem; JSON nested too deeply for Python is FastAPI's 400.
    ///
    /// - Parameters:
    ///   - body: the raw request body.
    ///   - isJSONContent: whether the request's content type is JSON (or absent); otherwise FastAPI hands
    ///     the raw bytes to pydantic, which rejects them as not a dict.
    package static func decode(_ body: [UInt8], isJSONContent: Bool) throws(A1111Error) -> Txt2ImgRequest {
        guard !body.isEmpty else {
            throw .validation([.init(location: ["body"], message: "field required", type: "value_error.missing")])
        }
        guard isJSONContent else {
            throw .validation([.init(location: ["body"], message: "value is not a valid dict", type: "type_error.dict")]
            )
        }
        let document: JSONValue
        do {
            document = try JSONParser.parse(body)
        } catch {
            guard case .malformed(let error) = error else { throw .unparseableBody }
            let text = String(decoding: body, as: UTF8.self)
            throw .validation([
                .init(
                    location: ["body", .integer(error.position)], message: error.description,
                    type: "value_error.jsondecode",
                    context: [
                        "msg": .string(error.message), "doc": .string(text), "pos": .integer(error.position),
                        "lineno": .integer(error.line), "colno": .integer(error.column),
                    ])
            ])
        }
        guard case .object(let object) = document else {
            throw .validation([.init(location: ["body"], message: "value is not a valid dict", type: "type_error.dict")]
            )
        }
        var parameters = JSONObject()
        var errors: [A1111Error.FieldError] = []
        for field in Self.fields {
            guard let value = object[field.name] else {
                parameters[field.name] = field.defaultValue
                continue
            }
            switch field.coerce(value) {
            case .value(let coerced): parameters[field.name] = coerced == .null ? field.defaultValue : coerced
            case .errors(let fieldErrors): errors += fieldErrors
            }
        }
        guard errors.isEmpty else { throw .validation(errors) }
        let known = Set(Self.fields.map(\.name))
        return Txt2ImgRequest(parameters: parameters, unknownFields: object.keys.filter { !known.contains($0) })
    }
}
