import AsyncHTTPClient
import DarkroomCore
import DarkroomSimulator
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

@testable import DarkroomBackends

/// A1111's live previews: `current_image` is asked for only while a preview is wanted, and arrives as a small PNG.
@Suite(.timeLimit(.minutes(5))) struct A1111PreviewTests {
    /// Runs one 256×256, 16-step job (about 18 s, so that even on a loaded machine several progress polls are
    /// answered while it runs) with previews `wanted`; returns them and the server's counts.
    private func run(wanted: Bool) async throws -> (previews: [PreviewImage], stats: [String: Int]) {
        try await SimulatorHarness.withServer(.init(protocol: .a1111, secondsPerImage: 288)) { url, client in
            let backend = A1111BackendEndToEndTests.backend(url, client)
            let received = Mutex<[PreviewImage]>([])
            let sink = PreviewSink(isWanted: { wanted }, deliver: { image in received.withLock { $0.append(image) } })
            let request = BackendTestFixtures.request(width: 256, height: 256, steps: 16, seed: 5, batchSize: 1)
            let answer = try await backend.run(request, turn: .now, previews: sink) { _ in }
            #expect(try await answer.images().count == 1)
            var statsRequest = HTTPClientRequest(
                url: url.appendingPathComponent("internal/preview-stats").absoluteString)
            statsRequest.method = .GET
            let response = try await client.execute(statsRequest, timeout: .seconds(120))
            let body = try await response.body.collect(upTo: 1 << 20)
            let stats = try JSONDecoder().decode([String: Int].self, from: Data(body.readableBytesView))
            return (received.withLock { $0 }, stats)
        }
    }

    @Test("a watched job's progress polls ask for current_image and hand over PNG previews of rising steps")
    func watched() async throws {
        let (previews, stats) = try await run(wanted: true)
        #expect(previews.count >= 2, "several polls while the job ran")
        #expect(previews.allSatisfy { $0.mediaType == "image/png" && $0.progress.steps == 16 })
        let steps = previews.map(\.progress.step)
        #expect(steps == steps.sorted())
        #expect(previews.allSatisfy { PreviewImageFormat($0.data)?.fitsAnEvent == true })
        #expect(stats["current_image_polls"] ?? 0 >= previews.count)
    }

    @Test("an unwatched job never asks for current_image")
    func unwatched() async throws {
        let (previews, stats) = try await run(wanted: false)
        #expect(previews.isEmpty)
        #expect(stats["progress_polls"] ?? 0 >= 2, "it polled progress")
        #expect(stats["current_image_polls"] == 0)
    }

    @Test("a preview too big for an event is dropped; PNG and JPEG sizes are read from their headers")
    func formats() throws {
        let small = try SimulatedPreviewRenderer.png(width: 1024, height: 512, seed: 1, step: 1, steps: 2)
        #expect(PreviewImageFormat(small) == PreviewImageFormat(mediaType: "image/png", width: 128, height: 64))
        // A baseline JPEG's start: SOI, an APP0 segment, then SOF0 with height 1216 and width 832.
        let jpeg: [UInt8] =
            [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x04, 0xC0, 0x03, 0x40]
            + [UInt8](repeating: 0, count: 16)
        let format = try #require(PreviewImageFormat(Data(jpeg)))
        #expect(format == PreviewImageFormat(mediaType: "image/jpeg", width: 832, height: 1216))
        #expect(!format.fitsAnEvent)
        #expect(PreviewImageFormat(Data("not an image".utf8)) == nil)
    }
}
