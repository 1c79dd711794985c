/// Decides when a prompt that `/history` keeps showing as pending is gone from the server.
///
/// ComfyUI keeps its queue in memory, so after a restart, a queue clear or a history eviction `/history` answers
/// `{}` for good, and the job would wait out the worker's whole job timeout. So every ``checkInterval``-th pending
/// poll the poller reads `GET /queue`. A prompt in neither `queue_running` nor `queue_pending` is looked up in
/// `/history` once more, since it may have finished between the two reads; still pending, it is lost.
///
/// Pure: the poller does the reads and carries out the ``Verdict``.
struct ComfyUILostPromptCheck: Sendable {
    /// What the poller does after a queue check.
    enum Verdict: Sendable, Equatable {
        /// The prompt is queued or running: keep polling.
        case keepPolling
        /// The prompt finished between the history and queue reads: this is its outcome.
        case finished(ComfyUIHistory.Outcome)
        /// The server no longer knows the prompt.
        case lost
    }

    /// Pending polls between two queue checks.
    let checkInterval: Int
    private var pendingPolls = 0

    init(checkInterval: Int = 5) {
        self.checkInterval = max(1, checkInterval)
    }

    /// Records one pending history poll; whether it is time to check the queue.
    mutating func recordPending() -> Bool {
        pendingPolls += 1
        return pendingPolls.isMultiple(of: checkInterval)
    }

    /// The verdict once the queue was read (`isQueued`) and, for a prompt not in it, history read again
    /// (`recheck`, `nil` when it was not read).
    static func verdict(isQueued: Bool, recheck: ComfyUIHistory.Outcome?) -> Verdict {
        guard !isQueued else { return .keepPolling }
        switch recheck {
        case nil, .pending?: return .lost
        case let outcome?: return .finished(outcome)
        }
    }

    /// Whether `GET /queue`'s `body` lists `promptID` as running or pending; items are
    /// `[number, prompt_id, graph, extra_data, outputs]`.
    ///
    /// - Throws: ``BackendError/badResponse(_:)`` when the body is not an object with those two arrays.
    static func isQueued(_ promptID: String, in body: BackendJSON?) throws -> Bool {
        guard let running = body?["queue_running"]?.arrayValue, let pending = body?["queue_pending"]?.arrayValue else {
            throw BackendError.badResponse("the /queue answer has no queue_running and queue_pending lists")
        }
        return (running + pending).contains { $0[1]?.stringValue == promptID }
    }
}
