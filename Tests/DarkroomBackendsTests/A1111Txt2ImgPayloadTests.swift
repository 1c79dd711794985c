import DarkroomCore
import Foundation
import Testing

@testable import DarkroomBackends

@Suite struct A1111Txt2ImgPayloadTests {
    /// The payload as the server reads it.
    func body(_ request: GenerationRequest, catalog: ModelCatalog = .standard) throws -> BackendJSON {
        let data = try A1111Txt2ImgPayload(request: request, catalog: catalog).encoded()
        return try #require(BackendJSON.parse(data))
    }

    @Test("carries every job parameter under A1111's field names")
    func fields() throws {
        let request = BackendTestFixtures.request(
            width: 1024, height: 768, steps: 9, seed: 4_294_967_290, cfgScale: 1.5, batchSize: 3)
        let body = try body(request)
        #expect(body["prompt"] == .string("a portrait"))
        #expect(body["negative_prompt"] == .string("blurry"))
        #expect(body["width"] == .int(1024))
        #expect(body["height"] == .int(768))
        #expect(body["steps"] == .int(9))
        #expect(body["seed"] == .int(4_294_967_290))
        #expect(body["cfg_scale"]?.doubleValue == 1.5)
        #expect(body["sampler_name"] == .string("Res Multistep"))
        #expect(body["scheduler"] == .string("Simple"))
        #expect(body["batch_size"] == .int(3))
        #expect(body["n_iter"] == .int(1))
        #expect(body["send_images"] == .bool(true))
        #expect(body["save_images"] == .bool(false))
    }

    @Test("appends one <lora:NAME:STRENGTH> tag per LoRA, named through the catalog")
    func loraTags() throws {
        let catalog = ModelCatalog(loras: ["AWPortrait-Z": NameEntry(a1111: "awportrait_z_v1")])
        let request = BackendTestFixtures.request(
            loras: [LoRA(name: "AWPortrait-Z", strength: 0.8), LoRA(name: "film-grain", strength: 1)])
        let body = try body(request, catalog: catalog)
        #expect(body["prompt"] == .string("a portrait <lora:awportrait_z_v1:0.8> <lora:film-grain:1.0>"))
    }

    @Test(
        "writes strengths without exponents",
        arguments: [(1.0, "1.0"), (0.75, "0.75"), (-0.5, "-0.5"), (1e-5, "0.00001")])
    func strengthFormat(strength: Double, expected: String) {
        #expect(A1111Txt2ImgPayload.format(strength) == expected)
    }

    @Test("maps the sampler through the catalog, passing unknown names through")
    func samplerMapping() throws {
        #expect(try body(BackendTestFixtures.request(sampler: "euler"))["sampler_name"] == .string("Euler"))
        #expect(try body(BackendTestFixtures.request(sampler: "DPM++ 2M"))["sampler_name"] == .string("DPM++ 2M"))
        let catalog = ModelCatalog(scheduler: NameEntry(a1111: "Karras", comfyui: "karras"))
        #expect(try body(BackendTestFixtures.request(), catalog: catalog)["scheduler"] == .string("Karras"))
    }

    @Test("sends no override_settings when the catalog names no checkpoint or modules")
    func noOverrides() throws {
        let body = try body(BackendTestFixtures.request())
        #expect(body["override_settings"] == nil)
        #expect(body["override_settings_restore_afterwards"] == nil)
    }

    @Test("sends the catalog's checkpoint and Forge modules as overrides, restored afterwards")
    func overrides() throws {
        let catalog = ModelCatalog(models: [
            "z_image_turbo_bf16": ModelEntry(
                a1111: A1111Model(
                    checkpoint: "z_image_turbo_bf16.safetensors", additionalModules: ["/m/qwen.st", "/m/ae.st"])),
            "checkpoint-only": ModelEntry(a1111: A1111Model(checkpoint: "other [abcd1234]")),
        ])
        let full = try body(BackendTestFixtures.request(), catalog: catalog)
        #expect(full["override_settings"]?["sd_model_checkpoint"] == .string("z_image_turbo_bf16.safetensors"))
        #expect(
            full["override_settings"]?["forge_additional_modules"]
                == .array([.string("/m/qwen.st"), .string("/m/ae.st")]))
        #expect(full["override_settings_restore_afterwards"] == .bool(true))
        let partial = try body(BackendTestFixtures.request(model: "checkpoint-only"), catalog: catalog)
        #expect(partial["override_settings"] == .object(["sd_model_checkpoint": .string("other [abcd1234]")]))
    }
}
