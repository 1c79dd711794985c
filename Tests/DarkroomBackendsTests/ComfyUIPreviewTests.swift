import AsyncHTTPClient
import DarkroomCore
import DarkroomSimulator
import Foundation
import NIOCore
import Synchronization
import Testing

@testable import DarkroomBackends

/// ComfyUI's live previews: binary `PREVIEW_IMAGE` frames on the attempt's own socket, handed over while wanted.
@Suite(.timeLimit(.minutes(5))) struct ComfyUIPreviewTests {
    /// Runs one 256×256, 8-step job (about 12 s: a loaded machine still opens the socket early) against a
    /// server that sends previews; returns what reached the sink when previews are `wanted`.
    private func run(wanted: Bool) async throws -> [PreviewImage] {
        var configuration = SimulatorConfiguration(protocol: .comfyui, secondsPerImage: 96)
        configuration.sendsPreviews = true
        return try await SimulatorHarness.withServer(configuration) { url, client in
            let backend = ComfyUIBackendEndToEndTests.backend(url, client)
            let received = Mutex<[PreviewImage]>([])
            let sink = PreviewSink(isWanted: { wanted }, deliver: { image in received.withLock { $0.append(image) } })
            let request = BackendTestFixtures.request(width: 256, height: 256, steps: 8, seed: 3, batchSize: 1)
            let answer = try await backend.run(request, turn: .now, previews: sink) { _ in }
            #expect(try await answer.images().count == 1)
            return received.withLock { $0 }
        }
    }

    @Test("a watched job's preview frames arrive as PNG previews of rising steps")
    func watched() async throws {
        let previews = try await run(wanted: true)
        #expect(previews.count >= 2)
        #expect(previews.allSatisfy { $0.mediaType == "image/png" && $0.progress.steps == 8 })
        let steps = previews.map(\.progress.step)
        #expect(steps == steps.sorted() && steps.allSatisfy { (1...8).contains($0) })
        #expect(previews.allSatisfy { PreviewImageFormat($0.data)?.fitsAnEvent == true })
    }

    @Test("previews nobody wants are dropped")
    func unwatched() async throws {
        #expect(try await run(wanted: false).isEmpty)
    }

    @Test("only PREVIEW_IMAGE frames with a known format are previews")
    func frames() {
        let png: [UInt8] = [0x89, 0x50]
        let preview = ComfyUIEventSocket.preview(in: ByteBuffer(bytes: [0, 0, 0, 1, 0, 0, 0, 2] + png))
        guard case .preview(let data, let mediaType)? = preview else {
            Issue.record("not a preview: \(String(describing: preview))")
            return
        }
        #expect(data == Data(png) && mediaType == "image/png")
        if case .preview(_, let jpeg)? = ComfyUIEventSocket.preview(in: ByteBuffer(bytes: [0, 0, 0, 1, 0, 0, 0, 1, 9]))
        {
            #expect(jpeg == "image/jpeg")
        } else {
            Issue.record("a JPEG preview frame was not read")
        }
        #expect(ComfyUIEventSocket.preview(in: ByteBuffer(bytes: [0, 0, 0, 2, 0, 0, 0, 2, 9])) == nil, "not a preview")
        #expect(
            ComfyUIEventSocket.preview(in: ByteBuffer(bytes: [0, 0, 0, 1, 0, 0, 0, 7, 9])) == nil, "unknown format")
        #expect(ComfyUIEventSocket.preview(in: ByteBuffer(bytes: [0, 0, 0, 1])) == nil, "too short")
    }
}
