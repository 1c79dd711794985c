import Foundation

/// The Z-Image-Turbo + LoRA graph in ComfyUI's API format, as in reference/z-image-awportrait.md §3, with
/// the per-job values filled in.
enum ZImageGraph {
    /// The `/prompt` body: `{"prompt": graph, "client_id": …}`.
    static func body(
        clientID: String, lora: String = "AWPortrait-Z.safetensors", seed: Int64 = 123_456_789, width: Int = 512,
        height: Int = 512, batchSize: Int = 1, steps: Int = 8, prefix: String = "darkroom/job"
    ) -> Data {
        let graph = """
            {
              "1":  {"class_type": "UNETLoader",   "inputs": {"unet_name": "z_image_turbo_bf16.safetensors", "weight_dtype": "default"}},
              "2":  {"class_type": "CLIPLoader",   "inputs": {"clip_name": "qwen_3_4b.safetensors", "type": "lumina2", "device": "default"}},
              "3":  {"class_type": "VAELoader",    "inputs": {"vae_name": "ae.safetensors"}},
              "4":  {"class_type": "LoraLoaderModelOnly", "inputs": {"model": ["1", 0], "lora_name": "\(lora)", "strength_model": 1.0}},
              "5":  {"class_type": "ModelSamplingAuraFlow", "inputs": {"model": ["4", 0], "shift": 3.0}},
              "6":  {"class_type": "CLIPTextEncode", "inputs": {"clip": ["2", 0], "text": "a studio portrait"}},
              "7":  {"class_type": "ConditioningZeroOut", "inputs": {"conditioning": ["6", 0]}},
              "8":  {"class_type": "EmptySD3LatentImage", "inputs": {"width": \(width), "height": \(height), "batch_size": \(batchSize)}},
              "9":  {"class_type": "KSampler", "inputs": {
                       "model": ["5", 0], "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["8", 0],
                       "seed": \(seed), "steps": \(steps), "cfg": 1.0, "sampler_name": "res_multistep",
                       "scheduler": "simple", "denoise": 1.0}},
              "10": {"class_type": "VAEDecode", "inputs": {"samples": ["9", 0], "vae": ["3", 0]}},
              "11": {"class_type": "SaveImage", "inputs": {"images": ["10", 0], "filename_prefix": "\(prefix)"}}
            }
            """
        return Data("{\"prompt\": \(graph), \"client_id\": \"\(clientID)\"}".utf8)
    }
}
