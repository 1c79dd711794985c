import AsyncHTTPClient
import DarkroomCore
import DarkroomSimulator
import Foundation
import NIOCore
import Testing

@testable import DarkroomBackends

/// Real-size answers (issue 14): the simulators' `--png-bytes`, their own busy accounting, and the backends'
/// two phases, over real HTTP.
@Suite(.timeLimit(.minutes(5))) struct RealSizeImageTests {
    static let pngBytes = 1_500_000

    @Test("padded PNGs are the asked size, decode as the same picture, and carry a valid noise chunk")
    func paddedPNG() throws {
        let small = try SimulatedImageRenderer.shared.png(width: 64, height: 32, seed: 5)
        let padded = try SimulatedImageRenderer.shared.png(width: 64, height: 32, seed: 5, paddedTo: 100_000)
        #expect(padded.count == 100_000)
        let smallChunks = try PNGReader(small).chunks
        let paddedChunks = try PNGReader(padded).chunks
        #expect(paddedChunks.map(\.type) == ["IHDR", "PLTE", "IDAT", "daRk", "IEND"])
        #expect(paddedChunks.allSatisfy { $0.storedCRC == $0.computedCRC })
        #expect(paddedChunks.filter { $0.type != "daRk" }.map(\.body) == smallChunks.map(\.body))
        let tooSmall = try SimulatedImageRenderer.shared.png(width: 64, height: 32, seed: 5, paddedTo: 10)
        #expect(tooSmall == small)
    }

    @Test("A1111: a real-size answer decodes whole, and the server's busy interval is reported", arguments: [1, 2])
    func a1111RealSize(batchSize: Int) async throws {
        let configuration = SimulatorConfiguration(protocol: .a1111, secondsPerImage: 0.2, pngBytes: Self.pngBytes)
        try await SimulatorHarness.withServer(configuration) { url, client in
            let backend = A1111BackendEndToEndTests.backend(url, client)
            let request = BackendTestFixtures.request(width: 256, height: 256, seed: 40, batchSize: batchSize)
            let answer = try await backend.run(request, turn: .now) { _ in }
            let stats = try await Self.gpuStats(url, client)
            let images = try await answer.images()
            #expect(images.map(\.png.count) == Array(repeating: Self.pngBytes, count: batchSize))
            #expect(images.map(\.seed) == (0..<batchSize).map { 40 + Int64($0) })
            #expect(images.allSatisfy { ($0.width, $0.height) == (256, 256) })
            #expect(stats.served == 1)
            #expect(stats.intervals.count == 1)
            let interval = try #require(stats.intervals.first)
            #expect(interval.end >= interval.start)
        }
    }

    @Test("ComfyUI: the answer downloads real-size files after the server has finished")
    func comfyRealSize() async throws {
        let configuration = SimulatorConfiguration(
            protocol: .comfyui, secondsPerImage: 0.2, pngBytes: Self.pngBytes)
        try await SimulatorHarness.withServer(configuration) { url, client in
            let backend = ComfyUIBackend(
                id: "comfy-1", baseURL: url, httpClient: client, logger: SimulatorHarness.quietLogger)
            let request = BackendTestFixtures.request(width: 256, height: 256, seed: 41)
            let answer = try await backend.run(request, turn: .now) { _ in }
            let stats = try await Self.gpuStats(url, client)
            #expect(stats.served == 1, "the prompt is done on the server before its files are fetched")
            let images = try await answer.images()
            #expect(images.map(\.png.count) == [Self.pngBytes])
            #expect(images.first?.seed == 41)
        }
    }

    @Test("a configured PNG size out of range is refused")
    func pngSizeValidated() {
        #expect(throws: SimulatorConfigurationError.pngSizeOutOfRange(-1)) {
            try SimulatorConfiguration(protocol: .a1111, pngBytes: -1).validate()
        }
        #expect(throws: SimulatorConfigurationError.pngSizeOutOfRange(SimulatorConfiguration.maxPNGBytes + 1)) {
            try SimulatorConfiguration(protocol: .comfyui, pngBytes: SimulatorConfiguration.maxPNGBytes + 1)
                .validate()
        }
    }

    struct Stats {
        var served: Int
        var intervals: [(start: Double, end: Double)]
    }

    static func gpuStats(_ url: URL, _ client: HTTPClient) async throws -> Stats {
        let response = try await client.execute(
            HTTPClientRequest(url: url.appendingPathComponent("internal/gpu-stats").absoluteString),
            timeout: .seconds(120))
        let body = try await response.body.collect(upTo: 16 << 20)
        let json = try #require(BackendJSON.parse(Data(body.readableBytesView)))
        let intervals = (json["busy_intervals"]?.arrayValue ?? []).compactMap { pair -> (Double, Double)? in
            guard let start = pair[0]?.doubleValue, let end = pair[1]?.doubleValue else { return nil }
            return (start, end)
        }
        return Stats(served: Int(json["served"]?.int64Value ?? -1), intervals: intervals)
    }
}
