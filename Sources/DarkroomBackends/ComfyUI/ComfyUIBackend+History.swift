import DarkroomCore
import Foundation

extension ComfyUIBackend {
    /// Polls `/history/{prompt_id}` until the prompt finished, then yields its outcome.
    ///
    /// Each poll has ``Configuration/probeTimeout``, so a wedged server that accepts connections and never answers
    /// counts as failing. ``Configuration/historyFailureLimit`` failures in a row (server down, garbage answers)
    /// end the job with the last error, so a dead server does not leave it waiting for the worker's job timeout;
    /// neither does a prompt the server lost (see ``ComfyUILostPromptCheck``).
    func pollHistory(_ promptID: String, into sink: AsyncStream<ComfyUISignal>.Continuation) async {
        var failures = 0
        var lostCheck = ComfyUILostPromptCheck()
        while true {
            do {
                try await Task.sleep(for: configuration.historyPollInterval)
            } catch {
                return
            }
            do {
                let outcome = try await fetchHistory(promptID)
                failures = 0
                guard outcome == .pending else {
                    sink.yield(.history(outcome))
                    return
                }
                guard lostCheck.recordPending() else { continue }
                switch try await checkQueue(promptID) {
                case .keepPolling:
                    continue
                case .finished(let outcome):
                    sink.yield(.history(outcome))
                    return
                case .lost:
                    sink.yield(.historyFailed(.unavailable("the prompt is no longer on the server (restarted?)")))
                    return
                }
            } catch {
                if Task.isCancelled { return }
                failures += 1
                if failures >= configuration.historyFailureLimit {
                    sink.yield(.historyFailed(error as? BackendError ?? .unavailable("\(error)")))
                    return
                }
            }
        }
    }

    /// One `GET /history/{prompt_id}`, within ``Configuration/probeTimeout``.
    func fetchHistory(_ promptID: String) async throws -> ComfyUIHistory.Outcome {
        let answer = try await http.get(
            "/history/\(ServerHTTP.percentEncoded(promptID))", timeout: configuration.probeTimeout,
            maxBytes: 64 * 1024 * 1024)
        guard answer.isSuccess else {
            if answer.status >= 500 { throw BackendError.serverError(status: answer.status) }
            throw BackendError.badResponse("GET /history answered HTTP \(answer.status)")
        }
        return try ComfyUIHistory.outcome(from: answer.body, promptID: promptID)
    }

    /// `GET /queue`, and history once more for a prompt not in it.
    private func checkQueue(_ promptID: String) async throws -> ComfyUILostPromptCheck.Verdict {
        let answer = try await http.get("/queue", timeout: configuration.probeTimeout, maxBytes: 64 * 1024 * 1024)
        guard answer.isSuccess else {
            if answer.status >= 500 { throw BackendError.serverError(status: answer.status) }
            throw BackendError.badResponse("GET /queue answered HTTP \(answer.status)")
        }
        let isQueued = try ComfyUILostPromptCheck.isQueued(promptID, in: answer.json)
        let recheck = isQueued ? nil : try await fetchHistory(promptID)
        return ComfyUILostPromptCheck.verdict(isQueued: isQueued, recheck: recheck)
    }
}
