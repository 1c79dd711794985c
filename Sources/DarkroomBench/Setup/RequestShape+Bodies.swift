import Foundation

/// The JSON bodies each protocol sends for a ``RequestShape``.
extension RequestShape {
    /// `POST /v1/jobs`: `{"prompt", "width", "height", "steps", "loras": [{"name", "strength"}]}`, and
    /// `"deadline_seconds"` when given one.
    public func darkroomBody(deadlineSeconds: Int? = nil) -> Data {
        Self.encode(
            DarkroomJobBody(
                prompt: prompt, width: width, height: height, steps: steps,
                loras: [.init(name: loraName, strength: loraStrength)], deadlineSeconds: deadlineSeconds))
    }

    /// `POST /sdapi/v1/txt2img`: the prompt carries the LoRA as a `<lora:NAME:STRENGTH>` tag; CFG 1, a random
    /// seed, the Euler sampler.
    public func a1111Body() -> Data {
        Self.encode(
            A1111Body(
                prompt: "\(prompt) <lora:\(loraName):\(loraStrength)>", width: width, height: height, steps: steps,
                cfgScale: 1, seed: -1, samplerName: "Euler"))
    }

    private static func encode(_ body: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Strings, integers and finite doubles always encode; the configuration rejects non-finite strengths.
        return (try? encoder.encode(body)) ?? Data("{}".utf8)
    }
}

private struct DarkroomJobBody: Encodable {
    struct LoRA: Encodable {
        var name: String
        var strength: Double
    }

    var prompt: String
    var width: Int
    var height: Int
    var steps: Int
    var loras: [LoRA]
    var deadlineSeconds: Int?

    enum CodingKeys: String, CodingKey {
        case prompt, width, height, steps, loras
        case deadlineSeconds = "deadline_seconds"
    }
}

private struct A1111Body: Encodable {
    var prompt: String
    var width: Int
    var height: Int
    var steps: Int
    var cfgScale: Double
    var seed: Int
    var samplerName: String

    enum CodingKeys: String, CodingKey {
        case prompt, width, height, steps, seed
        case cfgScale = "cfg_scale"
        case samplerName = "sampler_name"
    }
}
