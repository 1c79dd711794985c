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
/// - A request handed over before its turn is sent at once and waits at the server's queue lock (see ``run``).
/// - Cancelling the calling task sends `POST /sdapi/v1/interrupt` (best effort, ``Configuration/probeTimeout``)
///   once the request has its turn, unless it has reported its last step, and the call ends with
///   `CancellationError` when the server has answered (at most ``Configuration/interruptGrace`` later); dropping
///   the connection alone would leave the GPU busy. A txt2img call that times out interrupts too, then throws
///   ``BackendError/timedOut``.
/// - A 200 answer while the last progress poll showed `interrupted` (someone else's `/interrupt`) carries partial
///   images, so it throws ``BackendError/interrupted`` instead
///   (``A1111ProgressAnswer/interruption(lastPoll:isCancelled:)``).
/// - Errors: see ``A1111ErrorAnswer`` (status codes), ``A1111Txt2ImgAnswer`` (bodies) and
///   ``BackendError/mapTransport(_:)`` (connections).
public final class A1111Backend: PreviewingBackend {
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

    /// Sends the txt2img call at once, then waits for the turn and follows the request's progress; returns when
    /// the answer's body has arrived, leaving its base64 to ``BackendAnswer/images()``.
    ///
    /// A request handed over early waits at the server's queue lock behind the one running, so the server starts it
    /// the moment that one ends, without waiting for Darkroom to hear the answer (WebUI encodes its PNGs after
    /// releasing the lock). WebUI's progress and interrupt are global, and the worker sends a request ahead only
    /// when the running one has reached its last step, so the rules are:
    /// - progress is read only once the turn has come: the server then runs this request;
    /// - a request on the server cannot be withdrawn, so the call does not end before the server has answered it,
    ///   whatever happens to the calling task, and keeps its turn until then;
    /// - cancelled, it is interrupted once it has the turn, unless it has reported its last step (the next request
    ///   may then be waiting behind it, and an interrupt could reach that one instead): it then just finishes;
    /// - a drain that refuses the turn does not stop it: the server runs it anyway, so the job runs on.
    public func run(
        _ request: GenerationRequest, turn: ServerTurn, progress: @escaping @Sendable (JobProgress) async -> Void
    ) async throws -> BackendAnswer {
        try await run(request, turn: turn, previews: .none, progress: progress)
    }

    /// ``run(_:turn:progress:)``; while `previews` wants one, a progress poll asks for `current_image` (the
    /// server's live preview) and hands it over if it is small enough for an event.
    public func run(
        _ request: GenerationRequest, turn: ServerTurn, previews: PreviewSink,
        progress: @escaping @Sendable (JobProgress) async -> Void
    ) async throws -> BackendAnswer {
        let body = try A1111Txt2ImgPayload(request: request, catalog: catalog).encoded()
        // Cancelled before anything was sent: there is nothing to undo.
        try Task.checkCancellation()
        let call = Task { try await self.txt2img(body) }
        await waitForTurnWhileQueued(turn)
        let cost = Self.cost(of: request)
        let schedule = A1111PollSchedule(
            interval: configuration.progressInterval, expectedSeconds: lastPace.withLock { $0 }.map { $0 * cost })
        let finishing = LastStepFlag()
        let started = ContinuousClock.now
        let (answer, lastPoll) = await withTaskCancellationHandler {
            await follow(call, steps: request.steps, schedule: schedule, previews: previews) { step in
                if step.isNearingEnd { finishing.set() }
                await progress(step)
            }
        } onCancel: {
            Task { await self.stop(call, interrupting: !finishing.isSet) }
        }
        if Task.isCancelled { throw CancellationError() }
        do {
            let body = try answer.get()
            if let error = A1111ProgressAnswer.interruption(lastPoll: lastPoll, isCancelled: false) { throw error }
            lastSucceeded.withLock { $0 = request.affinity }
            lastPace.withLock { $0 = (ContinuousClock.now - started).seconds / cost }
            return BackendAnswer { try A1111Txt2ImgAnswer.images(from: body, for: request) }
        } catch BackendError.timedOut {
            // Abandoned by its client, the request would keep the GPU busy while the job is retried elsewhere.
            if !finishing.isSet { await interrupt() }
            throw BackendError.timedOut
        }
    }

    /// Waits for the turn of a request already sent, whatever happens to the calling task (see ``run``).
    private func waitForTurnWhileQueued(_ turn: ServerTurn) async {
        do {
            try await Task { try await turn.wait() }.value
        } catch {
            logger.debug("The worker refused the turn of a request already on the server; it runs on")
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

/// Whether a request has reported its last step (or the one before it), when the next one may be sent behind it.
private final class LastStepFlag: Sendable {
    private let reached = Mutex(false)

    var isSet: Bool { reached.withLock { $0 } }

    func set() { reached.withLock { $0 = true } }
}
