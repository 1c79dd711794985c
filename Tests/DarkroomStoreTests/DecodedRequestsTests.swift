import DarkroomCore
import Foundation
import Testing

@testable import DarkroomStore

/// The decoded-request cache gives what JSONDecoder gives, stays within its capacity, and refuses what is not a
/// request.
@Suite struct DecodedRequestsTests {
    static func json(_ request: GenerationRequest) throws -> String {
        String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
    }

    @Test("a request comes back as stored, from the cache or not, and different texts stay apart")
    func decodes() throws {
        let cache = DecodedRequests(capacity: 2)
        let first = GenerationRequest(prompt: "a portrait", seed: 1)
        let second = GenerationRequest(prompt: "another portrait", width: 832, height: 1216, seed: 2)
        let third = GenerationRequest(prompt: "a third", seed: 3)
        for _ in 0..<2 {
            #expect(try cache.request(fromJSON: Self.json(first)) == first)
            #expect(try cache.request(fromJSON: Self.json(second)) == second)
            // Past the capacity the cache starts over, and still answers right.
            #expect(try cache.request(fromJSON: Self.json(third)) == third)
        }
    }

    @Test("a request remembered as its stored text is what decoding that text gives")
    func remembers() throws {
        let request = GenerationRequest(
            prompt: "a portrait, \"soft\" light ✨", negativePrompt: "blur", width: 832, height: 1216, steps: 9,
            seed: 9_007_199_254_740_993, cfgScale: 1.1, loras: [LoRA(name: "AWPortrait-Z", strength: 0.7)],
            batchSize: 2)
        let text = try jsonText(request)
        // What a store relies on when it remembers a job's request instead of decoding its row.
        #expect(try JSONDecoder().decode(GenerationRequest.self, from: Data(text.utf8)) == request)
        let cache = DecodedRequests()
        cache.remember(request, asJSON: text)
        #expect(try cache.request(fromJSON: text) == request)
    }

    @Test("text that is not a request throws, and is not remembered")
    func refusesOtherText() throws {
        let cache = DecodedRequests()
        #expect(throws: (any Error).self) { try cache.request(fromJSON: #"{"prompt": 7}"#) }
        #expect(throws: (any Error).self) { try cache.request(fromJSON: #"{"prompt": 7}"#) }
    }
}
