import DarkroomBackends
import DarkroomCore
import DarkroomWire
import Foundation
import Logging

/// The simulated WebUI's one GPU: every txt2img call waits for the queue lock, then runs with the shared
/// progress state that `/sdapi/v1/progress`, `/interrupt` and `/skip` see.
///
/// Concurrency: an actor. A generation suspends while it sleeps through its steps, so progress, interrupt
/// and memory requests are answered while it runs; the ``FIFOLock`` keeps generations one at a time.
actor A1111Engine {
    let configuration: SimulatorConfiguration
    let models: A1111Models
    let memory: SimulatedGPUMemory
    /// When the GPU was busy, for `/internal/gpu-stats`.
    let busy: BusyLog
    private let renderer: ImageRenderer
    private let logger: Logger
    private let lock = FIFOLock()
    private(set) var state = A1111State()
    private var tasks = A1111Tasks()
    /// Working memory of the run in progress, and the most any run has used.
    private var working: Int64?
    private var peakWorking: Int64 = 0
    /// CUDA out-of-memory errors since start (`/sdapi/v1/memory` `events.oom`).
    private(set) var outOfMemoryCount = 0
    /// `GET /sdapi/v1/options`, changed by `POST /sdapi/v1/options`.
    private(set) var options: JSONObject
    /// The image being made now, whose live preview `current_image` shows.
    private var forming: (width: Int, height: Int, seed: Int64)?
    /// Progress polls, and those of them that asked for `current_image` (`/internal/preview-stats`).
    private(set) var progressPolls = 0
    private(set) var currentImagePolls = 0

    init(configuration: SimulatorConfiguration, busy: BusyLog = BusyLog(), logger: Logger) {
        self.configuration = configuration
        self.busy = busy
        self.logger = logger
        renderer = ImageRenderer(pngBytes: configuration.pngBytes)
        models = A1111Models(configuration: configuration)
        memory = SimulatedGPUMemory(total: configuration.gpuMemoryBytes)
        options = A1111Options.initial(models: models)
    }

    /// Runs one txt2img request in turn.
    ///
    /// - Returns: the PNGs (fewer, or partial, when interrupted: as upstream, an interrupted call still succeeds) and
    ///   the `info` JSON string. The GPU counts as busy while the call holds the lock; as upstream, the answer's
    ///   base64 is encoded after the lock is released (by the route), while a waiting request already runs.
    /// - Throws: ``A1111Error`` for a bad sampler, an out-of-memory error or an injected failure;
    ///   `CancellationError` when the server shuts down.
    func txt2img(_ request: Txt2ImgRequest) async throws -> (images: [Data], info: String) {
        let (sampler, scheduler) = try A1111Samplers.resolve(
            sampler: request.requestedSampler, scheduler: request.scheduler)
        let taskID = request.forceTaskID ?? A1111Tasks.makeID()
        tasks.add(taskID)
        do {
            try await lock.acquire()
        } catch {
            tasks.finish(taskID)
            throw error
        }
        state.begin(job: "scripts_txt2img")
        tasks.start(taskID)
        let started = Date()
        let outcome: Result<(images: [Data], info: String), any Error>
        do {
            outcome = .success(try await generate(request, sampler: sampler, scheduler: scheduler))
        } catch {
            outcome = .failure(error)
        }
        busy.record(start: started, end: Date())
        state.end()
        tasks.finish(taskID)
        working = nil
        await lock.release()
        return try outcome.get()
    }

    private func generate(_ request: Txt2ImgRequest, sampler: String, scheduler: String) async throws
        -> (images: [Data], info: String)
    {
        guard request.width >= 8, request.height >= 8, request.steps >= 1, request.batchSize >= 1,
            request.iterations >= 1
        else {
            throw A1111Error.exception(
                type: "RuntimeError", message: "width, height, steps, batch_size and n_iter must be positive")
        }
        // The latent is width/8 × height/8, so the decoded image is rounded down to a multiple of 8.
        let width = request.width / 8 * 8
        let height = request.height / 8 * 8
        let count = try Self.imageCount(request)
        let batch = request.batchSize
        state.jobCount = request.iterations
        let needed = memory.working(width: width, height: height, batchSize: batch)
        guard memory.fits(bytes: needed) else { throw outOfMemory(tried: needed) }
        // The sampler's noise schedule (steps + 1 float32 sigmas) is allocated on the GPU too.
        let sigmas = SimulatedGPUMemory.bytes((Double(request.steps) + 1) * 4)
        guard memory.fits(bytes: sigmas) else { throw outOfMemory(tried: sigmas) }
        try Self.checkHostMemory(count: count, width: width, height: height)
        let seeds = try Self.seeds(request, count: count)
        let subseeds = try Self.subseeds(request, count: count)
        working = needed
        peakWorking = max(peakWorking, needed)
        let fault = Fault.roll(oomRate: configuration.oomRate, failureRate: configuration.failureRate)
        var images: [Data] = []
        defer { forming = nil }
        for iteration in 0..<request.iterations {
            forming = (width, height, seeds[iteration * batch])
            if state.interrupted || state.stoppingGeneration { break }
            state.skipped = false
            if request.iterations > 1 { state.job = "Batch \(iteration + 1) out of \(request.iterations)" }
            state.samplingSteps = request.steps
            state.samplingStep = 0
            let schedule = SamplingSchedule(
                secondsPerImage: configuration.secondsPerImage, width: width, height: height, steps: request.steps,
                batchSize: batch)
            for step in schedule.wakeSteps {
                try await schedule.waitForStep(step)
                if iteration == 0, step >= Fault.step(of: request.steps), let fault {
                    throw fault == .outOfMemory ? outOfMemory(tried: needed) : Self.injectedFailure(logger)
                }
                state.samplingStep = step
                if state.interrupted || state.skipped { break }
            }
            for seed in seeds[iteration * batch..<(iteration + 1) * batch] {
                images += try await renderer.pngs(width: width, height: height, firstSeed: seed, count: 1)
            }
            state.nextJob()
        }
        let loras =
            request.disableExtraNetworks ? [] : LoRATag.parse(request.prompt).compactMap { models.lora(named: $0.name) }
        let info = A1111Info(
            request: request, sampler: sampler, scheduler: scheduler, seeds: seeds, subseeds: subseeds,
            width: width, height: height, loras: loras.map { .init(name: $0.name, shorthash: $0.shorthash) },
            checkpoint: .init(name: models.checkpoint.name, shorthash: models.checkpoint.shorthash),
            jobTimestamp: state.jobTimestamp)
        return (request.sendImages ? images : [], info.json)
    }

    /// `POST /sdapi/v1/interrupt`: whatever runs stops after its current step.
    func interrupt() { state.interrupted = true }

    /// `POST /sdapi/v1/skip`: the current batch stops; the next one (of `n_iter`) runs.
    func skip() { state.skipped = true }

    /// `GET /sdapi/v1/progress`.
    /// `GET /sdapi/v1/progress`; with `image`, the live preview of the step reached as `current_image` (a small
    /// PNG in base64, as a WebUI set to cheap approximate previews sends).
    func progress(image: Bool) -> JSONValue {
        progressPolls += 1
        if image { currentImagePolls += 1 }
        let current = image ? currentImage() : nil
        return state.progress(currentTask: tasks.current, currentImage: current)
    }

    private func currentImage() -> String? {
        guard state.jobCount != 0, state.samplingSteps > 0, let forming else { return nil }
        let png = try? SimulatedPreviewRenderer.png(
            width: forming.width, height: forming.height, seed: forming.seed, step: state.samplingStep,
            steps: state.samplingSteps)
        return png?.base64EncodedString()
    }

    /// `GET /internal/preview-stats`: how many progress polls asked for the live preview.
    func previewStats() -> JSONValue {
        ["progress_polls": .int(Int64(progressPolls)), "current_image_polls": .int(Int64(currentImagePolls))]
    }

    /// `POST /internal/progress`.
    func taskProgress(id: String) -> JSONValue { tasks.report(for: id, state: state) }

    /// `GET /internal/pending-tasks`.
    func pendingTasks() -> JSONValue { ["size": .integer(tasks.pending.count), "tasks": .strings(tasks.pending)] }

    /// `POST /sdapi/v1/options`: persistent and global. An unknown `sd_model_checkpoint` is a RuntimeError.
    func setOptions(_ changes: JSONObject) throws(A1111Error) {
        if let checkpoint = changes["sd_model_checkpoint"], checkpoint != .null {
            guard let name = checkpoint.string, models.checkpoint.aliases.contains(name) else {
                throw .exception(type: "RuntimeError", message: "model \(PythonRepr.repr(checkpoint)) not found")
            }
        }
        for (key, value) in changes.members { options[key] = value }
        if changes["sd_model_checkpoint"] != nil { options["sd_model_checkpoint"] = .string(models.checkpoint.title) }
    }

    /// `GET /sdapi/v1/memory`.
    func memoryReport() -> JSONValue {
        A1111MemoryReport(memory: memory, working: working, peakWorking: peakWorking, oomCount: outOfMemoryCount).json
    }

    private func outOfMemory(tried: Int64) -> A1111Error {
        outOfMemoryCount += 1
        logger.info("Simulated CUDA out of memory")
        return .exception(
            type: "OutOfMemoryError", message: A1111MemoryReport.outOfMemoryText(memory: memory, tried: tried))
    }

    private static func injectedFailure(_ logger: Logger) -> A1111Error {
        logger.info("Simulated GPU failure injected")
        return .exception(
            type: "RuntimeError",
            message: """
                CUDA error: an illegal memory access was encountered
                CUDA kernel errors might be asynchronously reported at some other API call, so the stacktrace \
                below might be incorrect.
                For debugging consider passing CUDA_LAUNCH_BLOCKING=1
                Compile with `TORCH_USE_CUDA_DSA` to enable device-side assertions.

                """)
    }

    /// `batch_size × n_iter`, the images A1111's `setup_prompts` lists.
    ///
    /// - Throws: Python's `OverflowError` when the product does not fit an index.
    static func imageCount(_ request: Txt2ImgRequest) throws(A1111Error) -> Int {
        let (count, overflow) = request.batchSize.multipliedReportingOverflow(by: request.iterations)
        guard !overflow else {
            throw .exception(type: "OverflowError", message: "cannot fit 'int' into an index-sized integer")
        }
        return count
    }

    /// Checks that `count` images fit in host RAM: a call keeps every image it makes (decoded, plus its
    /// PNG, base64 text and infotext) until it answers. The simulator refuses at once a call whose images
    /// could never fit, where the real server would fail part way through.
    ///
    /// - Throws: Python's `MemoryError` when they would not fit in the free RAM `/sdapi/v1/memory` reports.
    static func checkHostMemory(count: Int, width: Int, height: Int) throws(A1111Error) {
        let bytesPerImage = Double(width) * Double(height) * 3 + Double(keptBytesPerImage)
        let freeRAM = Double(A1111MemoryReport.ramTotal - A1111MemoryReport.ramUsed)
        guard Double(count) * bytesPerImage <= freeRAM else { throw .exception(type: "MemoryError", message: "") }
    }

    /// Host memory a kept image needs besides its pixels: its PNG, base64 text, infotext and Python objects.
    static let keptBytesPerImage = 1 << 20

    /// The seeds of every image: `seed + i` (or `seed` for all when `subseed_strength` is not 0); -1 is
    /// random in [0, 4294967293].
    ///
    /// - Throws: torch's `RuntimeError` when a seed passes `Int64.max` (Python's integers do not overflow,
    ///   but the simulator's seeds are 64-bit).
    static func seeds(_ request: Txt2ImgRequest, count: Int) throws(A1111Error) -> [Int64] {
        let seed = request.seed == -1 ? Int64.random(in: 0...4_294_967_293) : request.seed
        return try series(from: seed, count: count, increasing: request.subseedStrength == 0)
    }

    static func subseeds(_ request: Txt2ImgRequest, count: Int) throws(A1111Error) -> [Int64] {
        let subseed = request.subseed == -1 ? Int64.random(in: 0...4_294_967_293) : request.subseed
        return try series(from: subseed, count: count, increasing: true)
    }

    /// `count` seeds from `first`, each one more than the last when `increasing`.
    private static func series(from first: Int64, count: Int, increasing: Bool) throws(A1111Error) -> [Int64] {
        guard count > 0 else { return [] }
        if increasing, first.addingReportingOverflow(Int64(count - 1)).overflow {
            throw .exception(type: "RuntimeError", message: "Overflow when unpacking long")
        }
        return (0..<count).map { first + (increasing ? Int64($0) : 0) }
    }
}
