import DarkroomCore
import Foundation
import Testing

@testable import DarkroomBackends

@Suite struct A1111Txt2ImgAnswerTests {
    /// A txt2img answer with these base64 images and `info` (a JSON string inside JSON, as the server sends it).
    func answer(images: [String], info: String? = nil) throws -> Data {
        var members: [String: BackendJSON] = ["images": .array(images.map(BackendJSON.string))]
        if let info { members["info"] = .string(info) }
        return BackendJSON.object(members).encoded()
    }

    @Test("decodes each PNG with its size from IHDR and its seed from info.all_seeds")
    func decodes() throws {
        let pngs = [
            try BackendTestFixtures.png(width: 64, height: 32), try BackendTestFixtures.png(width: 48, height: 16),
        ]
        let body = try answer(
            images: pngs.map { $0.base64EncodedString() }, info: #"{"seed": 77, "all_seeds": [77, 78]}"#)
        let images = try A1111Txt2ImgAnswer.images(from: body, for: BackendTestFixtures.request(seed: 5, batchSize: 2))
        #expect(images.map(\.png) == pngs)
        #expect(images.map(\.width) == [64, 48])
        #expect(images.map(\.height) == [32, 16])
        #expect(images.map(\.seed) == [77, 78])
    }

    @Test(
        "falls back to request.seed + i when info is missing, not JSON or has no seeds",
        arguments: [nil, "not json", "{}"])
    func seedFallback(info: String?) throws {
        let png = try BackendTestFixtures.png().base64EncodedString()
        let body = try answer(images: [png, png], info: info)
        let images = try A1111Txt2ImgAnswer.images(from: body, for: BackendTestFixtures.request(seed: 40, batchSize: 2))
        #expect(images.map(\.seed) == [40, 41])
    }

    @Test("accepts a data: URI prefix")
    func dataURI() throws {
        let png = try BackendTestFixtures.png()
        let body = try answer(images: ["data:image/png;base64," + png.base64EncodedString()])
        #expect(try A1111Txt2ImgAnswer.images(from: body, for: BackendTestFixtures.request()).first?.png == png)
    }

    @Test("returns every image the server sent, more than the batch included")
    func extraImages() throws {
        let png = try BackendTestFixtures.png().base64EncodedString()
        let body = try answer(images: [png, png, png])
        #expect(try A1111Txt2ImgAnswer.images(from: body, for: BackendTestFixtures.request(batchSize: 2)).count == 3)
    }

    @Test("a body that is not JSON is a bad response")
    func notJSON() {
        #expect(throws: BackendError.badResponse("the txt2img answer is not JSON")) {
            try A1111Txt2ImgAnswer.images(from: Data("<html>".utf8), for: BackendTestFixtures.request())
        }
    }

    @Test("no images, or fewer than the batch, is a bad response")
    func missingImages() throws {
        #expect(throws: BackendError.badResponse("the txt2img answer has no images")) {
            try A1111Txt2ImgAnswer.images(from: Data(#"{"info": "{}"}"#.utf8), for: BackendTestFixtures.request())
        }
        #expect(throws: BackendError.badResponse("the txt2img answer has no images")) {
            try A1111Txt2ImgAnswer.images(from: try answer(images: []), for: BackendTestFixtures.request())
        }
        let png = try BackendTestFixtures.png().base64EncodedString()
        #expect(throws: BackendError.badResponse("asked for 3 images, the txt2img answer has 1")) {
            try A1111Txt2ImgAnswer.images(
                from: try answer(images: [png]), for: BackendTestFixtures.request(batchSize: 3))
        }
    }

    @Test("invalid base64 is a bad response")
    func badBase64() throws {
        #expect(throws: BackendError.badResponse("image 1 is not valid base64")) {
            try A1111Txt2ImgAnswer.images(
                from: try answer(images: ["%%% not base64 %%%"]), for: BackendTestFixtures.request())
        }
    }

    @Test("JPEG and WebP images are refused with the setting to change")
    func notPNG() throws {
        let hint = "set the server option samples_format to png"
        #expect(throws: BackendError.badResponse("image 1 is JPEG, not PNG: \(hint)")) {
            let body = try answer(images: [BackendTestFixtures.jpeg.base64EncodedString()])
            return try A1111Txt2ImgAnswer.images(from: body, for: BackendTestFixtures.request())
        }
        #expect(throws: BackendError.badResponse("image 1 is WebP, not PNG: \(hint)")) {
            let body = try answer(images: [BackendTestFixtures.webp.base64EncodedString()])
            return try A1111Txt2ImgAnswer.images(from: body, for: BackendTestFixtures.request())
        }
        #expect(throws: BackendError.badResponse("image 1 is not a PNG: \(hint)")) {
            let body = try answer(images: [Data("hello world!".utf8).base64EncodedString()])
            return try A1111Txt2ImgAnswer.images(from: body, for: BackendTestFixtures.request())
        }
    }

    @Test("a truncated PNG is a bad response, not a crash")
    func truncatedPNG() throws {
        let truncated = try BackendTestFixtures.png().prefix(12)
        #expect(throws: BackendError.badResponse("image 1 is a PNG without an IHDR header")) {
            try A1111Txt2ImgAnswer.images(
                from: try answer(images: [truncated.base64EncodedString()]), for: BackendTestFixtures.request())
        }
    }
}
