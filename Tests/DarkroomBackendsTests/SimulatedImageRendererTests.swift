import CompressNIO
import DarkroomBackends
import DarkroomCore
import Foundation
import NIOCore
import Testing

@Suite struct SimulatedImageRendererTests {
    let backend = SimulatedBackend(id: "sim", configuration: .init(secondsPerImage: 0.001))

    func image(width: Int = 256, height: Int = 256, seed: Int64 = 7) async throws -> GeneratedImage {
        let request = GenerationRequest(prompt: "a portrait", width: width, height: height, steps: 1, seed: seed)
        return try #require(try await backend.generate(request, progress: { _ in }).first)
    }

    @Test("the test CRC-32 matches the standard check value")
    func crcCheckValue() {
        #expect(BitwiseCRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(BitwiseCRC32.checksum([]) == 0)
    }

    @Test(
        "a simulated image is a valid 8-bit palette PNG",
        arguments: [(256, 256), (320, 256), (256, 512), (250, 130)]
    )
    func validPNG(width: Int, height: Int) async throws {
        let png = try await image(width: width, height: height).png
        #expect(png.starts(with: PNGReader.signature))
        let reader = try PNGReader(png)
        #expect(reader.chunks.map(\.type) == ["IHDR", "PLTE", "IDAT", "IEND"])

        let header = try #require(reader.chunk("IHDR"))
        #expect(header.body.count == 13)
        #expect(PNGReader.bigEndian(header.body, at: 0) == UInt32(width))
        #expect(PNGReader.bigEndian(header.body, at: 4) == UInt32(height))
        #expect(Array(header.body[8...]) == [8, 3, 0, 0, 0])  // bit depth 8, palette, deflate, filter 0, no interlace

        let palette = try #require(reader.chunk("PLTE"))
        #expect(palette.body.count == 256 * 3)

        for chunk in reader.chunks {
            #expect(chunk.storedCRC == chunk.computedCRC, "CRC of \(chunk.type)")
        }
        #expect(reader.chunks.last?.type == "IEND")
        #expect(reader.chunks.last?.body.isEmpty == true)
    }

    @Test("the image data inflates to one filter byte plus width indices per row", arguments: [(256, 256), (250, 130)])
    func imageDataInflates(width: Int, height: Int) async throws {
        let reader = try PNGReader(try await image(width: width, height: height).png)
        let imageData = try #require(reader.chunk("IDAT"))
        var compressed = ByteBuffer(bytes: imageData.body)
        let raw = try compressed.decompress(with: .zlib())
        #expect(raw.readableBytes == height * (width + 1))
        let bytes = Array(raw.readableBytesView)
        let filterBytes = stride(from: 0, to: bytes.count, by: width + 1).map { bytes[$0] }
        #expect(filterBytes.count == height)
        #expect(filterBytes.allSatisfy { $0 == 0 })
        #expect(Set(bytes).count > 2, "a gradient uses more than a couple of palette entries")
    }

    @Test("the same seed and size give byte-identical PNGs and the same sha256")
    func deterministic() async throws {
        let first = try await image(seed: 123)
        let other = SimulatedBackend(id: "sim-2", configuration: .init(secondsPerImage: 0.002))
        let request = GenerationRequest(prompt: "something else", width: 256, height: 256, steps: 3, seed: 123)
        let second = try #require(try await other.generate(request, progress: { _ in }).first)
        #expect(first.png == second.png)
        #expect(first.sha256 == second.sha256)
    }

    @Test("a different seed gives different bytes and a different sha256")
    func seedChangesImage() async throws {
        let first = try await image(seed: 123)
        let second = try await image(seed: 124)
        #expect(first.png != second.png)
        #expect(first.sha256 != second.sha256)
    }

    @Test("a different size gives different bytes for the same seed")
    func sizeChangesImage() async throws {
        let square = try await image(width: 256, height: 256, seed: 5)
        let tall = try await image(width: 256, height: 320, seed: 5)
        #expect(square.png != tall.png)
    }

    @Test("the images of one batch all differ")
    func batchImagesDiffer() async throws {
        let request = GenerationRequest(prompt: "p", width: 256, height: 256, steps: 1, seed: 0, batchSize: 4)
        let images = try await backend.generate(request, progress: { _ in })
        #expect(Set(images.map(\.sha256)).count == 4)
    }
}
