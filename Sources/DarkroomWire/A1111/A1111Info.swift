/// What one finished txt2img run produced, described as A1111's `Processed.js()` and `create_infotext`.
///
/// The simulated WebUI and the gateway's `/sdapi/v1/txt2img` both answer with it.
package struct A1111Info: Sendable {
    /// A model or LoRA as the infotext names it: its name and short hash (`nil` when unknown).
    package struct Model: Sendable {
        package var name: String
        package var shorthash: String?

        package init(name: String, shorthash: String?) {
            self.name = name
            self.shorthash = shorthash
        }
    }

    package var request: Txt2ImgRequest
    package var sampler: String
    package var scheduler: String
    package var seeds: [Int64]
    package var subseeds: [Int64]
    package var width: Int
    package var height: Int
    package var loras: [Model]
    package var checkpoint: Model
    package var jobTimestamp: String

    package init(
        request: Txt2ImgRequest, sampler: String, scheduler: String, seeds: [Int64], subseeds: [Int64], width: Int,
        height: Int, loras: [Model], checkpoint: Model, jobTimestamp: String
    ) {
        self.request = request
        self.sampler = sampler
        self.scheduler = scheduler
        self.seeds = seeds
        self.subseeds = subseeds
        self.width = width
        self.height = height
        self.loras = loras
        self.checkpoint = checkpoint
        self.jobTimestamp = jobTimestamp
    }

    package static let version = "v1.10.1"

    /// The `info` field: `json.dumps` of `Processed.js()`, a JSON string inside the JSON response.
    package var json: String {
        let prompts = Array(repeating: request.prompt, count: seeds.count)
        let negatives = Array(repeating: request.negativePrompt, count: seeds.count)
        var extra = JSONObject()
        if loras.contains(where: { $0.shorthash != nil }) { extra["Lora hashes"] = .string(loraHashes) }
        let info: JSONValue = [
            "prompt": .string(request.prompt), "all_prompts": .strings(prompts),
            "negative_prompt": .string(request.negativePrompt), "all_negative_prompts": .strings(negatives),
            "seed": .int(seeds.first ?? 0), "all_seeds": .array(seeds.map(JSONValue.int)),
            "subseed": .int(subseeds.first ?? 0), "all_subseeds": .array(subseeds.map(JSONValue.int)),
            "subseed_strength": .double(request.subseedStrength), "width": .integer(width), "height": .integer(height),
            "sampler_name": .string(sampler), "cfg_scale": .double(request.cfgScale), "steps": .integer(request.steps),
            "batch_size": .integer(request.batchSize), "restore_faces": false, "face_restoration_model": nil,
            "sd_model_name": .string(checkpoint.name), "sd_model_hash": .optional(checkpoint.shorthash),
            "sd_vae_name": nil, "sd_vae_hash": nil, "seed_resize_from_w": -1, "seed_resize_from_h": -1,
            "denoising_strength": nil, "extra_generation_params": .object(extra), "index_of_first_image": 0,
            "infotexts": .strings(seeds.indices.map(infotext)), "styles": .strings(request.styles),
            "job_timestamp": .string(jobTimestamp), "clip_skip": 1, "is_using_inpainting_conditioning": false,
            "version": .string(Self.version),
        ]
        return info.serialized(.pythonDefault)
    }

    /// `Lora hashes` text: `name: hash, name: hash`.
    package var loraHashes: String {
        loras.compactMap { lora in lora.shorthash.map { "\(lora.name): \($0)" } }.joined(separator: ", ")
    }

    /// The infotext of image `index`: prompt, negative prompt, then `key: value` parameters.
    package func infotext(_ index: Int) -> String {
        var parameters: [(String, String)] = [
            ("Steps", String(request.steps)), ("Sampler", sampler), ("Schedule type", scheduler),
            ("CFG scale", PythonRepr.str(.double(request.cfgScale))), ("Seed", String(seeds[index])),
            ("Size", "\(width)x\(height)"),
        ]
        if let hash = checkpoint.shorthash { parameters.append(("Model hash", hash)) }
        parameters.append(("Model", checkpoint.name))
        if loras.contains(where: { $0.shorthash != nil }) { parameters.append(("Lora hashes", loraHashes)) }
        parameters.append(("Version", Self.version))
        let text = parameters.map { "\($0): \(Self.quote($1))" }.joined(separator: ", ")
        let negative = request.negativePrompt.isEmpty ? "" : "\nNegative prompt: \(request.negativePrompt)"
        return "\(request.prompt)\(negative)\n\(text)".trimmingWhitespace
    }

    /// `infotext_utils.quote`: values holding `,`, `:` or a newline are written as JSON strings.
    package static func quote(_ value: String) -> String {
        guard value.contains(",") || value.contains(":") || value.contains("\n") else { return value }
        return JSONValue.string(value).serialized(.compact)
    }
}

extension String {
    /// Python's `str.strip()`.
    fileprivate var trimmingWhitespace: String {
        let characters = Array(self)
        guard let first = characters.firstIndex(where: { !$0.isWhitespace }),
            let last = characters.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(characters[first...last])
    }
}
