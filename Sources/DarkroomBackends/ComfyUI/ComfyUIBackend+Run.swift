import DarkroomCore
import Foundation
import Logging

extension ComfyUIBackend {
    typealias Signals = AsyncStream<ComfyUISignal>.Iterator

    /// One attempt on the server: socket, submission, following; returns the finished prompt's outputs (the
    /// downloads are left to the answer, see ``run(_:progress:)``).
    ///
    /// When the calling task is cancelled while the prompt may be on the server (from just before `POST /prompt`),
    /// the prompt is withdrawn from the queue, and interrupted too once it has had its turn, before the socket is
    /// closed and the error rethrown.
    func execute(
        _ graph: BackendJSON, request: GenerationRequest, clientID: String, promptID: String, turn: ServerTurn,
        previews: PreviewSink, progress: @escaping @Sendable (JobProgress) async -> Void
    ) async throws -> [String: [ComfyUIHistory.ImageReference]] {
        let (stream, sink) = AsyncStream<ComfyUISignal>.makeStream()
        let socketTask = openSocket(clientID: clientID, into: sink)
        let connectTimeout = configuration.connectTimeout
        let deadlineTask = Task {
            guard (try? await Task.sleep(for: connectTimeout)) != nil else { return }
            sink.yield(.socketDeadline)
        }
        var submitted: String?
        var hasTurn = false
        var isWaitingForTurn = false
        let outputs: [String: [ComfyUIHistory.ImageReference]]
        do {
            var signals = stream.makeAsyncIterator()
            if await !waitForSocket(&signals) { socketTask?.cancel() }
            deadlineTask.cancel()
            try Task.checkCancellation()
            submitted = promptID
            let acceptedID = try await submit(graph, clientID: clientID, promptID: promptID)
            submitted = acceptedID
            // Queued behind the prompt that has the turn; its events wait in the stream meanwhile.
            isWaitingForTurn = true
            try await turn.wait()
            isWaitingForTurn = false
            hasTurn = true
            outputs = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await self.pollHistory(acceptedID, into: sink) }
                defer { group.cancelAll() }
                return try await follow(
                    acceptedID, signals: &signals, steps: request.steps,
                    saveNodes: Set(ComfyUIWorkflowTemplate.saveImageNodeIDs(in: graph)), previews: previews,
                    progress: progress)
            }
        } catch {
            deadlineTask.cancel()
            sink.finish()
            // Before its turn the prompt waits behind another: deleting it from the queue is enough, and an
            // interrupt would stop the running prompt on servers too old to honour `prompt_id`.
            // A turn refused (a draining worker) withdraws the prompt as a cancellation does.
            if Task.isCancelled || isWaitingForTurn, let submitted {
                await cancelPrompt(submitted, interrupting: hasTurn)
            }
            await closeSocket(socketTask)
            throw error
        }
        sink.finish()
        await closeSocket(socketTask)
        return outputs
    }

    /// Waits until the socket opens, fails or misses its deadline; the job goes on either way.
    ///
    /// - Returns: whether the socket opened; one that missed its deadline is given up.
    private func waitForSocket(_ signals: inout Signals) async -> Bool {
        while let signal = await signals.next() {
            switch signal {
            case .socketOpened:
                logger.debug("Backend event socket opened")
                return true
            case .socketClosed(let reason):
                logger.warning(
                    "Backend event socket failed, following history only",
                    metadata: [LogKey.error.rawValue: "\(reason ?? "closed")"])
                return false
            case .socketDeadline:
                logger.warning("Backend event socket timed out, following history only")
                return false
            case .event, .preview, .history, .historyFailed:
                continue
            }
        }
        return false
    }

    /// `POST /prompt`; the prompt id the server runs.
    ///
    /// A graph queued with some outputs failing validation is withdrawn before its refusal is thrown: ComfyUI
    /// would otherwise run the valid outputs for nobody.
    private func submit(_ graph: BackendJSON, clientID: String, promptID: String) async throws -> String {
        let body: BackendJSON = .object([
            "prompt": graph, "client_id": .string(clientID), "prompt_id": .string(promptID),
        ])
        let answer = try await http.post(
            "/prompt", json: body.encoded(), timeout: configuration.requestTimeout, maxBytes: 16 * 1024 * 1024)
        let acceptance: ComfyUIPromptAnswer.Acceptance
        do {
            acceptance = try ComfyUIPromptAnswer.acceptance(from: answer, submitted: promptID)
        } catch {
            logger.debug("Backend request failed", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
            throw error
        }
        switch acceptance {
        case .queued(let acceptedID):
            return acceptedID
        case .queuedInPart(let acceptedID, let error):
            logger.debug("Backend request failed", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
            // Possibly queued behind another job's prompt: withdrawn, never interrupted (see `execute`).
            await cancelPrompt(acceptedID, interrupting: false)
            throw error
        }
    }

    /// Follows signals until the prompt's outputs are known; throws its failure otherwise.
    ///
    /// The `executed` events of the `saveNodes` carry their images: once all have come, the prompt's end needs no
    /// `/history` round trip (it is read only when some did not, or the socket is down).
    private func follow(
        _ promptID: String, signals: inout Signals, steps: Int, saveNodes: Set<String>, previews: PreviewSink,
        progress: @Sendable (JobProgress) async -> Void
    ) async throws -> [String: [ComfyUIHistory.ImageReference]] {
        var tracker = StepProgress(steps: steps)
        var executed: [String: [ComfyUIHistory.ImageReference]] = [:]
        var lastStep: JobProgress?
        while let signal = await signals.next() {
            switch signal {
            case .preview(let data, let mediaType):
                // Upstream sends a step's preview before its `progress`: it shows the step after the last one.
                let shown = JobProgress(step: min((lastStep?.step ?? 0) + 1, steps), steps: steps)
                guard let format = PreviewImageFormat(data), format.fitsAnEvent else { continue }
                if await previews.isWanted {
                    await previews.deliver(PreviewImage(data: data, mediaType: mediaType, progress: shown))
                }
            case .event(let event) where event.promptID == promptID:
                switch event.kind {
                case .progress(let value, let max):
                    if let step = tracker.advance(value: value, total: max) {
                        lastStep = step
                        await progress(step)
                    }
                case .executed(let node, let images):
                    executed[node] = images
                case .finished:
                    if !saveNodes.isEmpty, saveNodes.allSatisfy({ executed[$0]?.isEmpty == false }) { return executed }
                    // `execution_success` may come before history is written: if so, the poller finishes the job.
                    if let outcome = try? await fetchHistory(promptID), let outputs = try Self.outputs(of: outcome) {
                        return outputs
                    }
                case .failed(let error):
                    throw error
                case .interrupted:
                    // Darkroom interrupts only for a cancelled task, which stops reading first: someone else did.
                    throw BackendError.interrupted
                }
            case .history(let outcome):
                if let outputs = try Self.outputs(of: outcome) { return outputs }
            case .historyFailed(let error):
                throw error
            case .socketClosed(let reason):
                logger.debug("Backend event socket closed", metadata: [LogKey.error.rawValue: "\(reason ?? "closed")"])
            case .event, .socketOpened, .socketDeadline:
                continue
            }
        }
        // The stream ends only when this task is cancelled.
        throw CancellationError()
    }

    /// The outputs of a finished prompt; `nil` while pending.
    static func outputs(of outcome: ComfyUIHistory.Outcome) throws -> [String: [ComfyUIHistory.ImageReference]]? {
        switch outcome {
        case .pending: nil
        case .succeeded(let outputs): outputs
        case .failed(let error): throw error
        }
    }
}
