import AsyncHTTPClient
import DarkroomCore
import Foundation
import Logging
import Synchronization

/// A backend that runs jobs on an AUTOMATIC1111 / SD WebUI Forge (Neo) server through `/sdapi/v1`.
///
/// - A job is one `POST /sdapi/v1/txt2img` (see ``A1111Txt2ImgPayload``); while it runs,
///   `/sdapi/v1/progress` is polled every ``Configuration/progressInterval`` and reported as rising steps.
/// - The server runs one request at a time and its progress is global, so keep ``slots`` at 1 per server:
///   then the running job, its progress and `/sdapi/v1/interrupt` are all ours.
/// - Cancelling the calling task sends `POST /sdapi/v1/interrupt` (best effort, ``Configuration/probeTimeout``)
///   before the call ends with `CancellationError`; dropping the connection alone would leave the GPU busy.
///   A txt2img call that times out sends it too, then throws ``BackendError/timedOut``.
/// - A 200 answer while the last progress poll showed `interrupted` (someone else's `/interrupt`) carries partial
///   images, so it throws ``BackendError/interrupted`` instead
///   (``A1111ProgressAnswer/interruption(lastPoll:isCancelled:)``).
/// - Errors: see ``A1111ErrorAnswer`` (status codes), ``A1111Txt2ImgAnswer`` (bodies) and
///   ``BackendError/mapTransport(_:)`` (connections).
public final class A1111Backend: Backend {
    public let id: String
    public let kind = "a1111"
    public let slots: Int
    public let baseURL: URL
    public let catalog: ModelCatalog
    public let configuration: Configuration
    let http: ServerHTTP
    let logger: Logger
    private let lastSucceeded = Mutex<ModelAffinity?>(nil)
    /// The pace of the last request that succeeded: seconds per pixel-step, for ``A1111PollSchedule``.
    private let lastPace = Mutex<Double?>(nil)

    /// - Parameters:
    ///   - baseURL: the server root, e.g. `http://127.0.0.1:7860`.
    ///   - slots: requests sent at once; more than 1 makes progress and interrupts ambiguous.
    ///   - httpClient: `nil` uses ``AsyncHTTPClient/HTTPClient/inferenceServers(connectTimeout:readTimeout:)``
    ///     with the configuration's timeouts. A client you pass keeps its own connect and read timeouts.
    public init(
        id: String, baseURL: URL, slots: Int = 1, catalog: ModelCatalog = .standard, httpClient: HTTPClient? = nil,
        configuration: Configuration = .init(), logger: Logger
    ) {
        self.id = id
        self.slots = max(1, slots)
        self.baseURL = baseURL
        self.catalog = catalog
        self.configuration = configuration
        self.http = ServerHTTP(
            backendID: id, baseURL: baseURL, client: httpClient, connectTimeout: configuration.connectTimeout,
            readTimeout: configuration.requestTimeout, logger: logger)
        self.logger = http.logger
    }

    /// The model and LoRAs of the last request that succeeded here; `nil` before the first.
    public var loadedAffinity: ModelAffinity? { lastSucceeded.withLock { $0 } }

    /// Waits for the turn, sends the txt2img call and follows its progress; returns when the answer's body has
    /// arrived, leaving its base64 to ``BackendAnswer/images()``. The request is sent only once the turn comes:
    /// WebUI's progress and interrupt are global, so a second request on the server would make both ambiguous.
    public func run(
        _ request: GenerationRequest, turn: ServerTurn, progress: @escaping @Sendable (JobProgress) async -> Void
    ) async throws -> BackendAnswer {
        let body = try A1111Txt2ImgPayload(request: request, catalog: catalog).encoded()
        try await turn.wait()
        // Cancelled before anything was sent: there is nothing of ours to interrupt.
        try Task.checkCancellation()
        let cost = Self.cost(of: request)
        let schedule = A1111PollSchedule(
            interval: configuration.progressInterval, expectedSeconds: lastPace.withLock { $0 }.map { $0 * cost })
        let started = ContinuousClock.now
        do {
            let answer = try await withThrowingTaskGroup(of: Txt2ImgEvent.self) { group in
                group.addTask { .answered(try await self.txt2img(body)) }
                group.addTask {
                    .polled(await self.followProgress(steps: request.steps, schedule: schedule, report: progress))
                }
                defer { group.cancelAll() }
                var answer: Data?
                var lastPoll: A1111ProgressAnswer?
                while let event = try await group.next() {
                    switch event {
                    case .answered(let body):
                        answer = body
                        group.cancelAll()
                    case .polled(let poll):
                        lastPoll = poll
                    }
                }
                guard let answer else { throw BackendError.badResponse("the txt2img call ended without an answer") }
                if let error = A1111ProgressAnswer.interruption(lastPoll: lastPoll, isCancelled: Task.isCancelled) {
                    throw error
                }
                return answer
            }
            lastSucceeded.withLock { $0 = request.affinity }
            lastPace.withLock { $0 = (ContinuousClock.now - started).seconds / cost }
            return BackendAnswer { try A1111Txt2ImgAnswer.images(from: answer, for: request) }
        } catch {
            if Task.isCancelled {
                await interrupt()
                throw CancellationError()
            }
            // Abandoned by its client, the request would keep the GPU busy while the job is retried elsewhere.
            if error as? BackendError == .timedOut { await interrupt() }
            throw error
        }
    }

    /// What a request costs the GPU, in pixel-steps.
    private static func cost(of request: GenerationRequest) -> Double {
        max(1, Double(request.width) * Double(request.height) * Double(request.steps) * Double(request.batchSize))
    }

    /// `GET /sdapi/v1/memory`: reachable with the GPU's memory, reachable without (no GPU), or unreachable.
    public func health() async -> BackendHealth {
        do {
            let answer = try await http.get(
                "/sdapi/v1/memory", timeout: configuration.probeTimeout, maxBytes: 1024 * 1024)
            guard answer.isSuccess else {
                return BackendHealth(isReachable: false, problem: "GET /sdapi/v1/memory answered \(answer.status)")
            }
            guard let json = answer.json else {
                return BackendHealth(isReachable: false, problem: "GET /sdapi/v1/memory did not answer JSON")
            }
            return BackendHealth(isReachable: true, gpuMemory: A1111MemoryAnswer.gpuMemory(json))
        } catch {
            return BackendHealth(isReachable: false, problem: (error as? BackendError)?.detail ?? "\(error)")
        }
    }

    /// The body of a successful `POST /sdapi/v1/txt2img`.
    private func txt2img(_ body: Data) async throws -> Data {
        let answer = try await http.post(
            "/sdapi/v1/txt2img", json: body, timeout: configuration.requestTimeout,
            maxBytes: configuration.maxResponseBytes)
        guard answer.isSuccess else {
            let error = A1111ErrorAnswer.backendError(for: answer)
            logger.debug("Backend request failed", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
            throw error
        }
        return answer.body
    }
}

/// What a child task of ``A1111Backend/generate(_:progress:)`` ends with.
private enum Txt2ImgEvent: Sendable {
    /// The txt2img call's successful answer, still base64.
    case answered(Data)
    /// The progress poller stopped; its last successful poll, if any.
    case polled(A1111ProgressAnswer?)
}
