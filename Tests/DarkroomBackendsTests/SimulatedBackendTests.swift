import DarkroomBackends
import DarkroomCore
import Testing

@Suite struct SimulatedBackendTests {
    /// A request and the service time the formula gives it.
    struct Row: Sendable, CustomTestStringConvertible {
        let secondsPerImage: Double
        let width: Int
        let height: Int
        let steps: Int
        let batchSize: Int
        let expectedSeconds: Double

        var testDescription: String {
            "\(secondsPerImage) s/image, \(width)×\(height), \(steps) steps, batch \(batchSize)"
        }
    }

    static let rows: [Row] = [
        Row(secondsPerImage: 0.8, width: 1024, height: 1024, steps: 8, batchSize: 1, expectedSeconds: 0.8),
        Row(secondsPerImage: 0.8, width: 512, height: 512, steps: 8, batchSize: 1, expectedSeconds: 0.2),
        Row(secondsPerImage: 0.8, width: 1024, height: 1024, steps: 16, batchSize: 1, expectedSeconds: 1.6),
        Row(secondsPerImage: 0.8, width: 1024, height: 1024, steps: 8, batchSize: 4, expectedSeconds: 3.2),
        Row(secondsPerImage: 2, width: 2048, height: 1024, steps: 4, batchSize: 2, expectedSeconds: 4),
        Row(secondsPerImage: 1, width: 768, height: 1344, steps: 20, batchSize: 3, expectedSeconds: 7.3828125),
        Row(secondsPerImage: 10, width: 256, height: 256, steps: 1, batchSize: 1, expectedSeconds: 0.078125),
        Row(secondsPerImage: 0, width: 2048, height: 2048, steps: 100, batchSize: 8, expectedSeconds: 0),
    ]

    static func request(
        width: Int = 256, height: Int = 256, steps: Int = 4, seed: Int64 = 1_000, batchSize: Int = 1
    ) -> GenerationRequest {
        GenerationRequest(
            prompt: "a portrait", width: width, height: height, steps: steps, seed: seed, batchSize: batchSize
        )
    }

    @Test("service time is secondsPerImage × megapixels × steps/8 × batch", arguments: rows)
    func serviceTime(_ row: Row) {
        let backend = SimulatedBackend(id: "sim", configuration: .init(secondsPerImage: row.secondsPerImage))
        let request = Self.request(
            width: row.width, height: row.height, steps: row.steps, batchSize: row.batchSize
        )
        #expect(abs(backend.serviceTime(for: request).seconds - row.expectedSeconds) < 1e-6)
    }

    @Test("a simulated GPU has one slot and keeps its id")
    func identity() {
        let backend = SimulatedBackend(id: "sim-3")
        #expect(backend.id == "sim-3")
        #expect(backend.slots == 1)
        #expect(backend.configuration.secondsPerImage == 0.8)
        #expect(backend.configuration.failureRate == 0)
    }

    @Test(
        "generate returns batchSize images of the requested size with consecutive seeds",
        arguments: [(256, 256, 1), (320, 256, 3), (256, 512, 2), (250, 130, 8)]
    )
    func generate(width: Int, height: Int, batchSize: Int) async throws {
        let backend = SimulatedBackend(id: "sim", configuration: .init(secondsPerImage: 0.001))
        let request = Self.request(width: width, height: height, seed: 41, batchSize: batchSize)
        let images = try await backend.generate(request, progress: { _ in })
        #expect(images.count == batchSize)
        #expect(images.map(\.seed) == (0..<Int64(batchSize)).map { 41 + $0 })
        for image in images {
            #expect(image.width == width)
            #expect(image.height == height)
            let header = try #require(try PNGReader(image.png).chunk("IHDR"))
            #expect(PNGReader.bigEndian(header.body, at: 0) == UInt32(width))
            #expect(PNGReader.bigEndian(header.body, at: 4) == UInt32(height))
        }
    }

    @Test("progress reports every step from 1 to steps, in order", arguments: [1, 2, 8, 25])
    func progress(steps: Int) async throws {
        let backend = SimulatedBackend(id: "sim", configuration: .init(secondsPerImage: 0.02))
        let recorder = ProgressRecorder()
        _ = try await backend.generate(Self.request(steps: steps), progress: { await recorder.record($0) })
        let reports = await recorder.reports
        #expect(reports.map(\.step) == Array(1...steps))
        #expect(reports.allSatisfy { $0.steps == steps })
    }

    @Test("a failure rate of 1 fails every request halfway with a retryable simulated_failure")
    func failureRateOne() async throws {
        let backend = SimulatedBackend(id: "sim", configuration: .init(secondsPerImage: 0.001, failureRate: 1))
        let recorder = ProgressRecorder()
        for _ in 0..<3 {
            let error = await #expect(throws: BackendError.self) {
                try await backend.generate(Self.request(steps: 4), progress: { await recorder.record($0) })
            }
            #expect(error == .simulatedFailure)
            #expect(error?.isRetryable == true)
            #expect(error?.code == "simulated_failure")
        }
        #expect(await recorder.steps == [1, 1, 1])
    }

    @Test("cancelling the calling task ends generate with CancellationError")
    func cancelledTask() async {
        let backend = SimulatedBackend(id: "sim", configuration: .init(secondsPerImage: 30))
        let task = Task { try await backend.generate(Self.request(), progress: { _ in }) }
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
    }

    @Test("cancelling interrupts the work under way: it ends early and reports at most the step in flight")
    func cancelledMidStep() async throws {
        // 100 steps of 1024×1024 at 2.4 s per 8 steps: 30 s in all, one step every 0.3 s.
        let backend = SimulatedBackend(id: "sim", configuration: .init(secondsPerImage: 2.4))
        let recorder = ProgressRecorder()
        let (firstStep, reached) = AsyncStream.makeStream(of: Void.self)
        let task = Task {
            try await backend.generate(Self.request(width: 1024, height: 1024, steps: 100)) {
                await recorder.record($0)
                reached.yield()
            }
        }
        var iterator = firstStep.makeAsyncIterator()
        _ = await iterator.next()
        let reportedBeforeCancel = await recorder.steps.count
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        let steps = await recorder.steps
        #expect(steps == Array(1...steps.count))
        #expect(steps.count <= reportedBeforeCancel + 1)
        #expect(steps.count < 100)
    }
}
