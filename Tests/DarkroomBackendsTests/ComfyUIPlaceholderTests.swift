import DarkroomCore
import Foundation
import Testing

@testable import DarkroomBackends

@Suite struct ComfyUIPlaceholderTests {
    static let template = #"""
        {
          "3": {"class_type": "KSampler", "inputs": {"seed": "{{seed}}", "steps": "{{steps}}", "cfg": "{{cfg}}",
                "sampler_name": "{{sampler}}", "scheduler": "{{scheduler}}", "model": ["4", 0]}},
          "4": {"class_type": "UNETLoader", "inputs": {"unet_name": "{{unet}}", "weight_dtype": "default"}},
          "5": {"class_type": "EmptySD3LatentImage",
                "inputs": {"width": "{{width}}", "height": "{{height}}", "batch_size": "{{batch_size}}"}},
          "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "portrait, {{prompt}}, 8k"}},
          "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "{{negative_prompt}}"}},
          "8": {"class_type": "LoraLoaderModelOnly",
                "inputs": {"lora_name": "{{lora_name}}", "strength_model": "{{lora_strength}}"}},
          "9": {"class_type": "SaveImage", "inputs": {"filename_prefix": "{{filename_prefix}}_s{{seed}}"}},
          "10": {"class_type": "CLIPLoader", "inputs": {"clip_name": "{{clip}}", "type": "lumina2"}},
          "11": {"class_type": "VAELoader", "inputs": {"vae_name": "{{vae}}"}}
        }
        """#

    func load(_ text: String) throws -> ComfyUIWorkflowTemplate {
        try ComfyUIWorkflowTemplate(json: Data(text.utf8))
    }

    @Test("whole-string number placeholders become JSON numbers, string ones strings")
    func substitutes() throws {
        let request = BackendTestFixtures.request(
            prompt: "a {{seed}} \"quoted\" prompt", width: 832, height: 1216, steps: 9, seed: 42, cfgScale: 1.5,
            loras: [LoRA(name: "AWPortrait-Z", strength: 0.8), LoRA(name: "second", strength: 1)], batchSize: 2)
        let graph = try load(Self.template).graph(for: request, catalog: .standard, filenamePrefix: "darkroom/abc")
        #expect(graph["3"]?["inputs"]?["seed"] == .int(42))
        #expect(graph["3"]?["inputs"]?["steps"] == .int(9))
        #expect(graph["3"]?["inputs"]?["cfg"] == .double(1.5))
        #expect(graph["3"]?["inputs"]?["sampler_name"] == .string("res_multistep"))
        #expect(graph["3"]?["inputs"]?["scheduler"] == .string("simple"))
        #expect(graph["3"]?["inputs"]?["model"] == .array([.string("4"), .int(0)]))
        #expect(graph["4"]?["inputs"]?["unet_name"] == .string("z_image_turbo_bf16.safetensors"))
        #expect(graph["5"]?["inputs"] == .object(["width": .int(832), "height": .int(1216), "batch_size": .int(2)]))
        // The prompt's own braces are not placeholders: substitution scans the template once.
        #expect(graph["6"]?["inputs"]?["text"] == .string("portrait, a {{seed}} \"quoted\" prompt, 8k"))
        #expect(graph["7"]?["inputs"]?["text"] == .string("blurry"))
        #expect(graph["8"]?["inputs"]?["lora_name"] == .string("AWPortrait-Z.safetensors"))
        #expect(graph["8"]?["inputs"]?["strength_model"] == .double(0.8))
        #expect(graph["9"]?["inputs"]?["filename_prefix"] == .string("darkroom/abc_s42"))
        #expect(graph["10"]?["inputs"]?["clip_name"] == .string("qwen_3_4b.safetensors"))
        #expect(graph["11"]?["inputs"]?["vae_name"] == .string("ae.safetensors"))
        #expect(ComfyUIWorkflowTemplate.saveImageNodeIDs(in: graph) == ["9"])
    }

    @Test("a LoRA placeholder with a job that has no LoRA refuses the job")
    func missingLoRA() throws {
        let template = try load(Self.template)
        let expected = BackendError.rejected(
            "the ComfyUI workflow template needs a LoRA ({{lora_name}}, {{lora_strength}}), and the job has none")
        #expect(throws: expected) {
            try template.graph(for: BackendTestFixtures.request(loras: []), catalog: .standard, filenamePrefix: "p")
        }
    }

    @Test("splits text into literal runs and placeholders")
    func split() {
        #expect(ComfyUIPlaceholders.split("{{seed}}") == [.placeholder("seed")])
        #expect(ComfyUIPlaceholders.split("a{{b}}c") == [.text("a"), .placeholder("b"), .text("c")])
        #expect(ComfyUIPlaceholders.split("{{{seed}}") == [.text("{"), .placeholder("seed")])
        #expect(ComfyUIPlaceholders.split("no braces") == [.text("no braces")])
        #expect(ComfyUIPlaceholders.split("open {{ only") == [.text("open {{ only")])
        #expect(ComfyUIPlaceholders.split("") == [.text("")])
    }

    @Test(
        "bad templates fail to load with a clear error",
        arguments: [
            ("not json", nil),
            ("[1, 2]", ComfyUITemplateError.notAnObject),
            (#"{"nodes": [], "links": []}"#, .uiWorkflowFormat),
            (#"{"1": 5, "2": {"class_type": "SaveImage"}}"#, .nodeNotAnObject(node: "1")),
            (#"{"1": {"inputs": {}}, "2": {"class_type": "SaveImage"}}"#, .missingClassType(node: "1")),
            (#"{"1": {"class_type": "SaveImage", "inputs": [1]}}"#, .inputsNotAnObject(node: "1")),
            (#"{"1": {"class_type": "PreviewImage", "inputs": {}}}"#, .noSaveImage),
            ("{}", .noSaveImage),
            (
                #"{"1": {"class_type": "SaveImage", "inputs": {"x": "{{sed}}"}}}"#,
                .unknownPlaceholder(name: "sed", node: "1")
            ),
        ] as [(String, ComfyUITemplateError?)])
    func invalid(text: String, expected: ComfyUITemplateError?) {
        do {
            _ = try load(text)
            Issue.record("loaded an invalid template")
        } catch let error as ComfyUITemplateError {
            if let expected {
                #expect(error == expected)
            } else if case .notJSON = error {
            } else {
                Issue.record("expected notJSON, got \(error)")
            }
            #expect(!error.description.isEmpty)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("load(contentsOf:) reads a file and names a missing one")
    func loadFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-template-\(UUID()).json")
        try Data(Self.template.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        _ = try ComfyUIWorkflowTemplate.load(contentsOf: url)
        let missing = url.appendingPathExtension("missing")
        #expect {
            try ComfyUIWorkflowTemplate.load(contentsOf: missing)
        } throws: { error in
            guard case .unreadable(let path, _) = error as? ComfyUITemplateError else { return false }
            return path == missing.path
        }
    }
}
