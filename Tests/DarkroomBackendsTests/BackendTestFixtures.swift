import DarkroomCore
import Foundation

@testable import DarkroomBackends

/// Requests and payloads shared by the A1111 and ComfyUI tests.
enum BackendTestFixtures {
    static func request(
        prompt: String = "a portrait", width: Int = 256, height: Int = 128, steps: Int = 8, seed: Int64 = 1_000,
        cfgScale: Double = 1, sampler: String = "res_multistep", model: String = "z_image_turbo_bf16",
        loras: [LoRA] = [], batchSize: Int = 1
    ) -> GenerationRequest {
        GenerationRequest(
            prompt: prompt, negativePrompt: "blurry", width: width, height: height, steps: steps, seed: seed,
            cfgScale: cfgScale, sampler: sampler, model: model, loras: loras, batchSize: batchSize)
    }

    /// A real PNG of the given size.
    static func png(width: Int = 64, height: Int = 32, seed: Int64 = 1) throws -> Data {
        try SimulatedImageRenderer.shared.png(width: width, height: height, seed: seed)
    }

    static let jpeg = Data(
        [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01] + Array(repeating: 0, count: 20))
    static let webp = Data(
        Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WEBPVP8 ".utf8) + Array(repeating: 0, count: 20))

    /// Parses JSON the test wrote, failing the test on a typo.
    static func json(_ text: String) throws -> BackendJSON {
        try JSONDecoder().decode(BackendJSON.self, from: Data(text.utf8))
    }

    static func answer(_ status: Int, _ body: String) -> HTTPAnswer {
        HTTPAnswer(status: status, body: Data(body.utf8))
    }
}
