import DarkroomCore
import Testing

@Suite struct GenerationDraftValidationTests {
    /// A draft refused for one reason, and the stable `code` and `field` a client sees.
    struct Refusal: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let draft: GenerationDraft
        let error: ValidationError
        let code: String
        let field: String

        init(_ name: String, _ draft: GenerationDraft, _ error: ValidationError, code: String, field: String) {
            self.testDescription = name
            self.draft = draft
            self.error = error
            self.code = code
            self.field = field
        }
    }

    /// A draft that sits exactly on a limit and must be accepted.
    struct Boundary: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let draft: GenerationDraft

        init(_ name: String, _ draft: GenerationDraft) {
            self.testDescription = name
            self.draft = draft
        }
    }

    static func draft(
        prompt: String = "a portrait in soft window light", negativePrompt: String? = nil, width: Int? = nil,
        height: Int? = nil, steps: Int? = nil, seed: Int64? = 7, cfgScale: Double? = nil,
        loras: [LoRA]? = nil, batchSize: Int? = nil
    ) -> GenerationDraft {
        GenerationDraft(
            prompt: prompt, negativePrompt: negativePrompt, width: width, height: height, steps: steps, seed: seed,
            cfgScale: cfgScale, loras: loras, batchSize: batchSize
        )
    }

    static let lora = LoRA(name: "AWPortrait-Z")
    static let longText = String(repeating: "a", count: 4001)

    static let refusals: [Refusal] = [
        Refusal("empty prompt", draft(prompt: ""), .emptyPrompt, code: "prompt_empty", field: "prompt"),
        Refusal("blank prompt", draft(prompt: " \n\t "), .emptyPrompt, code: "prompt_empty", field: "prompt"),
        Refusal(
            "prompt of 4001", draft(prompt: longText), .promptTooLong(length: 4001),
            code: "prompt_too_long", field: "prompt"),
        Refusal(
            "negative prompt of 4001", draft(negativePrompt: longText), .negativePromptTooLong(length: 4001),
            code: "negative_prompt_too_long", field: "negative_prompt"),
        Refusal(
            "width 1000", draft(width: 1000), .invalidDimension(field: "width", value: 1000),
            code: "invalid_dimension", field: "width"),
        Refusal(
            "width 240", draft(width: 240), .invalidDimension(field: "width", value: 240),
            code: "invalid_dimension", field: "width"),
        Refusal(
            "width 2064", draft(width: 2064), .invalidDimension(field: "width", value: 2064),
            code: "invalid_dimension", field: "width"),
        Refusal(
            "height 1000", draft(height: 1000), .invalidDimension(field: "height", value: 1000),
            code: "invalid_dimension", field: "height"),
        Refusal(
            "height 240", draft(height: 240), .invalidDimension(field: "height", value: 240),
            code: "invalid_dimension", field: "height"),
        Refusal(
            "height 2064", draft(height: 2064), .invalidDimension(field: "height", value: 2064),
            code: "invalid_dimension", field: "height"),
        Refusal("steps 0", draft(steps: 0), .invalidSteps(0), code: "invalid_steps", field: "steps"),
        Refusal("steps 101", draft(steps: 101), .invalidSteps(101), code: "invalid_steps", field: "steps"),
        Refusal("batch 0", draft(batchSize: 0), .invalidBatchSize(0), code: "invalid_batch_size", field: "batch_size"),
        Refusal("batch 9", draft(batchSize: 9), .invalidBatchSize(9), code: "invalid_batch_size", field: "batch_size"),
        Refusal("seed -2", draft(seed: -2), .invalidSeed(-2), code: "invalid_seed", field: "seed"),
        Refusal(
            "seed 2^32", draft(seed: 4_294_967_296), .invalidSeed(4_294_967_296), code: "invalid_seed", field: "seed"),
        Refusal(
            "cfg -0.5", draft(cfgScale: -0.5), .invalidCFGScale(-0.5), code: "invalid_cfg_scale", field: "cfg_scale"),
        Refusal(
            "cfg 30.5", draft(cfgScale: 30.5), .invalidCFGScale(30.5), code: "invalid_cfg_scale", field: "cfg_scale"),
        Refusal(
            "LoRA with an empty name", draft(loras: [LoRA(name: "")]), .invalidLoRA(index: 0),
            code: "invalid_lora", field: "loras[0]"),
        Refusal(
            "second LoRA with a blank name", draft(loras: [lora, LoRA(name: "   ")]), .invalidLoRA(index: 1),
            code: "invalid_lora", field: "loras[1]"),
        Refusal(
            "LoRA strength 4.5", draft(loras: [LoRA(name: "AWPortrait-Z", strength: 4.5)]), .invalidLoRA(index: 0),
            code: "invalid_lora", field: "loras[0]"),
        Refusal(
            "nine LoRAs", draft(loras: Array(repeating: lora, count: 9)), .tooManyLoRAs(9),
            code: "invalid_lora", field: "loras"),
    ]

    static let boundaries: [Boundary] = [
        Boundary("prompt of 4000", draft(prompt: String(repeating: "a", count: 4000))),
        Boundary("negative prompt of 4000", draft(negativePrompt: String(repeating: "b", count: 4000))),
        Boundary("256×256", draft(width: 256, height: 256)),
        Boundary("2048×2048", draft(width: 2048, height: 2048)),
        Boundary("steps 1", draft(steps: 1)),
        Boundary("steps 100", draft(steps: 100)),
        Boundary("batch 1", draft(batchSize: 1)),
        Boundary("batch 8", draft(batchSize: 8)),
        Boundary("seed 0", draft(seed: 0)),
        Boundary("seed 4294967295", draft(seed: 4_294_967_295)),
        Boundary("cfg 0", draft(cfgScale: 0)),
        Boundary("cfg 30", draft(cfgScale: 30)),
        Boundary("eight LoRAs at -4", draft(loras: Array(repeating: LoRA(name: "LoRA", strength: -4), count: 8))),
        Boundary("one LoRA at 4", draft(loras: [LoRA(name: "AWPortrait-Z", strength: 4)])),
    ]

    @Test("an empty draft gets the AWPortrait-Z defaults")
    func defaultsFilled() throws {
        let request = try GenerationDraft(prompt: "a portrait").validated(randomSeed: { 42 })
        #expect(request.prompt == "a portrait")
        #expect(request.negativePrompt == "")
        #expect(request.width == 1024)
        #expect(request.height == 1024)
        #expect(request.steps == 8)
        #expect(request.cfgScale == 1.0)
        #expect(request.loras == [LoRA(name: "AWPortrait-Z", strength: 1.0)])
        #expect(request.batchSize == 1)
        #expect(request.seed == 42)
        #expect(request.sampler == "res_multistep")
        #expect(request.model == "z_image_turbo_bf16")
    }

    @Test("given values are kept, an explicit empty LoRA list included")
    func givenValuesKept() throws {
        let draft = GenerationDraft(
            prompt: "p", negativePrompt: "blur", width: 768, height: 1344, steps: 20, seed: 123, cfgScale: 4.5,
            sampler: "euler", model: "other", loras: [], batchSize: 3
        )
        let request = try draft.validated(randomSeed: { 42 })
        let expected = GenerationRequest(
            prompt: "p", negativePrompt: "blur", width: 768, height: 1344, steps: 20, seed: 123, cfgScale: 4.5,
            sampler: "euler", model: "other", loras: [], batchSize: 3
        )
        #expect(request == expected)
    }

    @Test("an empty sampler or model falls back to the default")
    func emptyNamesFallBack() throws {
        let request = try GenerationDraft(prompt: "p", sampler: "", model: "").validated(randomSeed: { 1 })
        #expect(request.sampler == GenerationDefaults.awPortraitZ.sampler)
        #expect(request.model == GenerationDefaults.awPortraitZ.model)
    }

    @Test("each broken rule is refused with its stable code and field", arguments: refusals)
    func refused(_ refusal: Refusal) {
        let error = #expect(throws: ValidationError.self) { try refusal.draft.validated(randomSeed: { 1 }) }
        #expect(error == refusal.error)
        #expect(error?.code == refusal.code)
        #expect(error?.field == refusal.field)
        #expect(error?.message.isEmpty == false)
    }

    @Test("a non-finite cfg_scale is refused", arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteCFGScale(value: Double) throws {
        let error = try #require(throws: ValidationError.self) {
            try Self.draft(cfgScale: value).validated(randomSeed: { 1 })
        }
        #expect(error.code == "invalid_cfg_scale")
        #expect(error.field == "cfg_scale")
        guard case .invalidCFGScale(let reported) = error else {
            Issue.record("expected invalidCFGScale, got \(error)")
            return
        }
        #expect(reported.isNaN == value.isNaN)
    }

    @Test("a non-finite LoRA strength is refused")
    func nonFiniteLoRAStrength() {
        let draft = Self.draft(loras: [LoRA(name: "AWPortrait-Z", strength: .nan)])
        #expect(throws: ValidationError.invalidLoRA(index: 0)) { try draft.validated(randomSeed: { 1 }) }
    }

    @Test("the first broken rule in field order is the one reported")
    func firstErrorWins() {
        let draft = Self.draft(prompt: "", width: 1000, steps: 0)
        #expect(throws: ValidationError.emptyPrompt) { try draft.validated(randomSeed: { 1 }) }
    }

    @Test("values on the limits are accepted", arguments: boundaries)
    func boundariesAccepted(_ boundary: Boundary) throws {
        let draft = boundary.draft
        let request = try draft.validated(randomSeed: { 1 })
        #expect(request.width == draft.width ?? 1024)
        #expect(request.height == draft.height ?? 1024)
        #expect(request.steps == draft.steps ?? 8)
        #expect(request.batchSize == draft.batchSize ?? 1)
        #expect(request.seed == draft.seed)
        #expect(request.cfgScale == draft.cfgScale ?? 1.0)
        #expect(request.loras == draft.loras ?? GenerationDefaults.awPortraitZ.loras)
        #expect(request.prompt == draft.prompt)
        #expect(request.negativePrompt == draft.negativePrompt ?? "")
    }

    @Test("seed -1 or an absent seed is drawn once from randomSeed", arguments: [Int64(-1), nil])
    func randomSeedResolved(seed: Int64?) throws {
        var draws = 0
        let request = try Self.draft(seed: seed).validated(randomSeed: {
            draws += 1
            return 987_654_321
        })
        #expect(request.seed == 987_654_321)
        #expect(draws == 1)
    }

    @Test("an explicit seed is kept and randomSeed is not called")
    func explicitSeedKept() throws {
        var draws = 0
        let request = try Self.draft(seed: 31_337).validated(randomSeed: {
            draws += 1
            return 1
        })
        #expect(request.seed == 31_337)
        #expect(draws == 0)
    }
}
