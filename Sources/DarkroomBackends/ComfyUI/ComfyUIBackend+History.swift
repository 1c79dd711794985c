import DarkroomCore
import Foundation

extension ComfyUIBackend {
    /// Polls `/history/{prompt_id}` until the prompt finished, then yields its outcome.
    ///
    /// ``Configuration/historyFailureLimit`` failures in a row (server down, garbage answers) end the job with the
    /// last error, so a dead server does not leave it waiting for the worker's job timeout.
    func pollHistory(_ promptID: String, into sink: AsyncStream<ComfyUISignal>.Continuation) async {
        var failures = 0
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

    /// One `GET /history/{prompt_id}`.
    func fetchHistory(_ promptID: String) async throws -> ComfyUIHistory.Outcome {
        let answer = try await http.get(
            "/history/\(ServerHTTP.percentEncoded(promptID))", timeout: configuration.requestTimeout,
            maxBytes: 64 * 1024 * 1024)
        guard answer.isSuccess else {
            if answer.status >= 500 { throw BackendError.serverError(status: answer.status) }
            throw BackendError.badResponse("GET /history answered HTTP \(answer.status)")
        }
        return try ComfyUIHistory.outcome(from: answer.body, promptID: promptID)
    }
}
