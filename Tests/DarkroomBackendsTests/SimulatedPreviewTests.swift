import CompressNIO
import DarkroomBackends
import DarkroomCore
import Foundation
import NIOCore
import Synchronization
import Testing

/// The simulated GPU's previews: made only when wanted, small, and sharpening towards the final image.
@Suite struct SimulatedPreviewTests {
    let backend = SimulatedBackend(id: "sim", configuration: .init(secondsPerImage: 0.001))

    private func run(steps: Int, wanted: Bool) async throws -> [PreviewImage] {
        let received = Mutex<[PreviewImage]>([])
        let sink = PreviewSink(isWanted: { wanted }, deliver: { image in received.withLock { $0.append(image) } })
        let request = GenerationRequest(prompt: "a portrait", width: 832, height: 1216, steps: steps, seed: 7)
        let answer = try await backend.run(request, turn: .now, previews: sink) { _ in }
        _ = try await answer.images()
        return received.withLock { $0 }
    }

    @Test("a watched run sends a PNG preview for each step but the last, at most 384 px, each closer to the image")
    func watchedRun() async throws {
        let previews = try await run(steps: 5, wanted: true)
        // The last step's preview would be the image itself, which the answer brings a moment later.
        #expect(previews.map(\.progress) == (1...4).map { JobProgress(step: $0, steps: 5) })
        for preview in previews {
            #expect(preview.mediaType == "image/png")
            let reader = try PNGReader(preview.data)
            let header = try #require(reader.chunk("IHDR"))
            let (width, height) = (PNGReader.bigEndian(header.body, at: 0), PNGReader.bigEndian(header.body, at: 4))
            #expect(max(width, height) <= UInt32(JobPreview.maxSide))
            #expect(width == 88 && height == 128, "the request's shape, scaled to a 128 px long side")
        }
        // Each step's pixels lie closer to the last step's (the final image, small): the noise fades.
        let pixels = try previews.map(palettePixels)
        let final = try palettePixels(
            PreviewImage(
                data: try SimulatedPreviewRenderer.png(width: 832, height: 1216, seed: 7, step: 5, steps: 5),
                mediaType: "image/png", progress: JobProgress(step: 5, steps: 5)))
        let distances = pixels.map { preview in
            zip(preview, final).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        }
        #expect(zip(distances, distances.dropFirst()).allSatisfy { $0 > $1 }, "\(distances)")
        #expect(distances.last ?? 0 > 0)
    }

    @Test("a one-step run makes no preview: its only step is the last")
    func oneStepRun() async throws {
        #expect(try await run(steps: 1, wanted: true).isEmpty)
    }

    /// The palette indices of a simulated PNG, row filter bytes included.
    private func palettePixels(_ preview: PreviewImage) throws -> [UInt8] {
        let reader = try PNGReader(preview.data)
        var compressed = ByteBuffer(bytes: try #require(reader.chunk("IDAT")).body)
        return Array(try compressed.decompress(with: .zlib()).readableBytesView)
    }

    @Test("a run nobody watches makes no preview")
    func unwatchedRun() async throws {
        #expect(try await run(steps: 5, wanted: false).isEmpty)
    }
}
