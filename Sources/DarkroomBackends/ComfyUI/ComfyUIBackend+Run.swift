import DarkroomCore
import Foundation
import Logging

extension ComfyUIBackend {
    typealias Signals = AsyncStream<ComfyUISignal>.Iterator

    /// One attempt: socket, submission, following, download.
    ///
    /// `submitted` is set to the prompt id just before `POST /prompt`, and to the server's id once it answers.
    func run(
        _ graph: BackendJSON, request: GenerationRequest, clientID: String, promptID: String,
        submitted: inout String?, progress: @escaping @Sendable (JobProgress) async -> Void
    ) async throws -> [GeneratedImage] {
        let (stream, sink) = AsyncStream<ComfyUISignal>.makeStream()
        let socket = ComfyUIEventSocket(
            url: ComfyUIEventSocket.url(http: http, clientID: clientID),
            maxMessageBytes: configuration.maxResponseBytes, logger: logger)
        // Unstructured, so a server that never finishes the handshake cannot hold this call open.
        let socketTask = Task { await socket.run(into: sink) }
        let connectTimeout = configuration.connectTimeout
        let deadlineTask = Task {
            guard (try? await Task.sleep(for: connectTimeout)) != nil else { return }
            sink.yield(.socketDeadline)
        }
        defer {
            socketTask.cancel()
            deadlineTask.cancel()
            sink.finish()
        }
        var signals = stream.makeAsyncIterator()
        await waitForSocket(&signals)
        deadlineTask.cancel()
        try Task.checkCancellation()
        submitted = promptID
        let acceptedID = try await submit(graph, clientID: clientID, promptID: promptID)
        submitted = acceptedID
        let outputs = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.pollHistory(acceptedID, into: sink) }
            defer { group.cancelAll() }
            return try await follow(acceptedID, signals: &signals, steps: request.steps, progress: progress)
        }
        return try await download(outputs, of: graph, for: request)
    }

    /// Waits until the socket opens, fails or misses its deadline; the job goes on either way.
    private func waitForSocket(_ signals: inout Signals) async {
        while let signal = await signals.next() {
            switch signal {
            case .socketOpened:
                logger.debug("Backend event socket opened")
                return
            case .socketClosed(let reason):
                logger.warning(
                    "Backend event socket failed, following history only",
                    metadata: [LogKey.error.rawValue: "\(reason ?? "closed")"])
                return
            case .socketDeadline:
                logger.warning("Backend event socket timed out, following history only")
                return
            case .event, .history, .historyFailed:
                continue
            }
        }
    }

    private func submit(_ graph: BackendJSON, clientID: String, promptID: String) async throws -> String {
        let body: BackendJSON = .object([
            "prompt": graph, "client_id": .string(clientID), "prompt_id": .string(promptID),
        ])
        let answer = try await http.post(
            "/prompt", json: body.encoded(), timeout: configuration.requestTimeout, maxBytes: 16 * 1024 * 1024)
        do {
            return try ComfyUIPromptAnswer.promptID(from: answer, submitted: promptID)
        } catch {
            logger.debug("Backend request failed", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
            throw error
        }
    }

    /// Follows signals until the prompt's outputs are known; throws its failure otherwise.
    private func follow(
        _ promptID: String, signals: inout Signals, steps: Int, progress: @Sendable (JobProgress) async -> Void
    ) async throws -> [String: [ComfyUIHistory.ImageReference]] {
        var tracker = StepProgress(steps: steps)
        while let signal = await signals.next() {
            switch signal {
            case .event(let event) where event.promptID == promptID:
                switch event.kind {
                case .progress(let value, let max):
                    if let step = tracker.advance(value: value, total: max) { await progress(step) }
                case .finished:
                    // `execution_success` may come before history is written: if so, the poller finishes the job.
                    if let outcome = try? await fetchHistory(promptID), let outputs = try Self.outputs(of: outcome) {
                        return outputs
                    }
                case .failed(let error):
                    throw error
                case .interrupted:
                    throw ComfyUIExecutionError.interrupted
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
