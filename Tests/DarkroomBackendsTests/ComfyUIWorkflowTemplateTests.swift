import DarkroomCore
import DarkroomWire
import Foundation
import Testing

@testable import DarkroomBackends

@Suite struct ComfyUIWorkflowTemplateTests {
    func graph(_ request: GenerationRequest, catalog: ModelCatalog = .standard) throws -> BackendJSON {
        try ComfyUIWorkflowTemplate.zImageTurbo.graph(for: request, catalog: catalog, filenamePrefix: "darkroom/p1")
    }

    static func link(_ id: String) -> BackendJSON { .array([.string(id), .int(0)]) }

    @Test("with one LoRA the graph is z-image-awportrait.md §3 node for node")
    func referenceGraph() throws {
        let request = BackendTestFixtures.request(
            prompt: "a woman by a window", width: 1024, height: 1024, steps: 8, seed: 123_456_789,
            loras: [LoRA(name: "AWPortrait-Z", strength: 1)])
        let expected = try BackendTestFixtures.json(
            #"""
            {
              "1":  {"class_type": "UNETLoader",
                     "inputs": {"unet_name": "z_image_turbo_bf16.safetensors", "weight_dtype": "default"}},
              "2":  {"class_type": "CLIPLoader",
                     "inputs": {"clip_name": "qwen_3_4b.safetensors", "type": "lumina2", "device": "default"}},
              "3":  {"class_type": "VAELoader",    "inputs": {"vae_name": "ae.safetensors"}},
              "4":  {"class_type": "LoraLoaderModelOnly",
                     "inputs": {"model": ["1", 0], "lora_name": "AWPortrait-Z.safetensors", "strength_model": 1.0}},
              "5":  {"class_type": "ModelSamplingAuraFlow", "inputs": {"model": ["4", 0], "shift": 3.0}},
              "6":  {"class_type": "CLIPTextEncode", "inputs": {"clip": ["2", 0], "text": "a woman by a window"}},
              "7":  {"class_type": "ConditioningZeroOut", "inputs": {"conditioning": ["6", 0]}},
              "8":  {"class_type": "EmptySD3LatentImage", "inputs": {"width": 1024, "height": 1024, "batch_size": 1}},
              "9":  {"class_type": "KSampler", "inputs": {
                       "model": ["5", 0], "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["8", 0],
                       "seed": 123456789, "steps": 8, "cfg": 1.0, "sampler_name": "res_multistep",
                       "scheduler": "simple", "denoise": 1.0}},
              "10": {"class_type": "VAEDecode", "inputs": {"samples": ["9", 0], "vae": ["3", 0]}},
              "11": {"class_type": "SaveImage", "inputs": {"images": ["10", 0], "filename_prefix": "darkroom/p1"}}
            }
            """#)
        // Compare as the server reads it: the wire JSON, decoded again (1.0 and 1 are the same number there).
        #expect(try #require(BackendJSON.parse(graph(request).encoded())) == expected)
    }

    @Test("without LoRAs, ModelSamplingAuraFlow takes the UNET directly")
    func noLoRA() throws {
        let graph = try graph(BackendTestFixtures.request(loras: []))
        #expect(graph["4"] == nil)
        #expect(graph["5"]?["inputs"]?["model"] == Self.link("1"))
        #expect(graph.objectValue?.count == 10)
        #expect(graph.objectValue?.values.contains { $0["class_type"] == .string("LoraLoaderModelOnly") } == false)
    }

    @Test("two LoRAs chain 1 → 4 → 12 → 5, each with its own file and strength")
    func twoLoRAs() throws {
        let catalog = ModelCatalog(loras: ["grain": NameEntry(comfyui: "loras/film_grain_v2.safetensors")])
        let request = BackendTestFixtures.request(
            loras: [LoRA(name: "AWPortrait-Z", strength: 0.8), LoRA(name: "grain", strength: 0.5)])
        let graph = try graph(request, catalog: catalog)
        #expect(graph["4"]?["class_type"] == .string("LoraLoaderModelOnly"))
        #expect(graph["4"]?["inputs"]?["model"] == Self.link("1"))
        #expect(graph["4"]?["inputs"]?["lora_name"] == .string("AWPortrait-Z.safetensors"))
        #expect(graph["4"]?["inputs"]?["strength_model"] == .double(0.8))
        #expect(graph["12"]?["class_type"] == .string("LoraLoaderModelOnly"))
        #expect(graph["12"]?["inputs"]?["model"] == Self.link("4"))
        #expect(graph["12"]?["inputs"]?["lora_name"] == .string("loras/film_grain_v2.safetensors"))
        #expect(graph["12"]?["inputs"]?["strength_model"] == .double(0.5))
        #expect(graph["5"]?["inputs"]?["model"] == Self.link("12"))
    }

    @Test("model files, dtype, sampler and scheduler come from the catalog")
    func catalogNames() throws {
        let catalog = ModelCatalog(
            models: [
                "zit-fp8": ModelEntry(
                    comfyui: ComfyUIModel(
                        unet: "zit_fp8.safetensors", clip: "qwen.safetensors", vae: "flux_ae.safetensors",
                        weightDtype: "fp8_e4m3fn"))
            ],
            samplers: ["euler": NameEntry(comfyui: "euler_ancestral")],
            scheduler: NameEntry(a1111: "Beta", comfyui: "beta"))
        let graph = try graph(BackendTestFixtures.request(sampler: "euler", model: "zit-fp8"), catalog: catalog)
        #expect(
            graph["1"]?["inputs"]
                == .object(["unet_name": .string("zit_fp8.safetensors"), "weight_dtype": .string("fp8_e4m3fn")]))
        #expect(graph["2"]?["inputs"]?["clip_name"] == .string("qwen.safetensors"))
        #expect(graph["3"]?["inputs"]?["vae_name"] == .string("flux_ae.safetensors"))
        #expect(graph["9"]?["inputs"]?["sampler_name"] == .string("euler_ancestral"))
        #expect(graph["9"]?["inputs"]?["scheduler"] == .string("beta"))
    }

    @Test("the seed is a JSON integer, exact beyond 2^53, and the batch goes to the latent")
    func seedAndBatch() throws {
        let seed: Int64 = 9_007_199_254_740_993
        let graph = try graph(BackendTestFixtures.request(width: 512, height: 768, seed: seed, batchSize: 4))
        let wire = String(decoding: graph.encoded(), as: UTF8.self)
        #expect(wire.contains(#""seed":9007199254740993"#))
        #expect(graph["8"]?["inputs"] == .object(["width": .int(512), "height": .int(768), "batch_size": .int(4)]))
    }

    @Test("the SaveImage node is found for downloading")
    func saveImageNodes() throws {
        #expect(ComfyUIWorkflowTemplate.saveImageNodeIDs(in: try graph(BackendTestFixtures.request())) == ["11"])
    }
}
