import DarkroomBench
import Foundation
import Testing

@Suite struct RequestShapeTests {
    private let shape = RequestShape(prompt: "a portrait", width: 768, height: 1024, steps: 8, loraStrength: 0.8)

    @Test("the Darkroom body names the LoRA in loras, with its strength")
    func darkroomBody() throws {
        let body = try #require(try JSONSerialization.jsonObject(with: shape.darkroomBody()) as? [String: Any])
        #expect(Set(body.keys) == ["prompt", "width", "height", "steps", "loras"])
        #expect(body["prompt"] as? String == "a portrait")
        #expect(body["width"] as? Int == 768 && body["height"] as? Int == 1024 && body["steps"] as? Int == 8)
        let loras = try #require(body["loras"] as? [[String: Any]])
        #expect(loras.count == 1)
        #expect(loras.first?["name"] as? String == "AWPortrait-Z")
        #expect(loras.first?["strength"] as? Double == 0.8)
    }

    @Test("with a deadline, the Darkroom body states it in deadline_seconds")
    func darkroomBodyWithDeadline() throws {
        let data = shape.darkroomBody(deadlineSeconds: 60)
        let body = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(body.keys) == ["prompt", "width", "height", "steps", "loras", "deadline_seconds"])
        #expect(body["deadline_seconds"] as? Int == 60)
    }

    @Test("the A1111 body carries the LoRA as a prompt tag, CFG 1, a random seed and Euler")
    func a1111Body() throws {
        let body = try #require(try JSONSerialization.jsonObject(with: shape.a1111Body()) as? [String: Any])
        #expect(Set(body.keys) == ["prompt", "width", "height", "steps", "cfg_scale", "seed", "sampler_name"])
        #expect(body["prompt"] as? String == "a portrait <lora:AWPortrait-Z:0.8>")
        #expect(body["cfg_scale"] as? Double == 1)
        #expect(body["seed"] as? Int == -1)
        #expect(body["sampler_name"] as? String == "Euler")
    }

    @Test("defaults are the seed's request")
    func defaults() {
        #expect(RequestShape().summary == "1024×1024, 8 steps, AWPortrait-Z 1.0")
        #expect(RequestShape().a1111Body().count > 0)
        #expect(String(decoding: RequestShape().a1111Body(), as: UTF8.self).contains("<lora:AWPortrait-Z:1.0>"))
    }
}
