import DarkroomWire

/// ComfyUI's `PromptQueue`: pending prompts by priority, the one running, the interrupt flag and the
/// in-memory history. Every change to the queue broadcasts a `status` message.
///
/// Concurrency: an actor. The worker waits in ``next()``; HTTP handlers put, delete and read.
actor ComfyQueue {
    /// Upstream keeps at most this many history entries and drops the oldest.
    static let historyLimit = 10_000

    private let sockets: ComfySockets
    private var pending: [QueueItem] = []
    private(set) var running: QueueItem?
    private var waiter: CheckedContinuation<QueueItem?, Never>?
    private var history = JSONObject()
    private var counter = 0
    /// `nodes.interrupt_processing()`: set by `/interrupt`, cleared when a prompt starts.
    private(set) var isInterrupted = false

    init(sockets: ComfySockets) {
        self.sockets = sockets
    }

    /// `queue_remaining`: running plus pending.
    var remaining: Int { pending.count + (running == nil ? 0 : 1) }

    /// `{"exec_info": {"queue_remaining": N}}`.
    var info: JSONValue { ["exec_info": ["queue_remaining": .integer(remaining)]] }

    /// The priority of the next prompt: a running counter, negated with `front`.
    func nextNumber(front: Bool) -> Double {
        defer { counter += 1 }
        return Double(front ? -counter : counter)
    }

    func put(_ item: QueueItem) async {
        if let waiter {
            self.waiter = nil
            running = item
            waiter.resume(returning: item)
        } else {
            pending.append(item)
        }
        await broadcastStatus()
    }

    /// Waits for the next prompt and marks it running; `nil` when the waiting task is cancelled.
    func next() async -> QueueItem? {
        if let index = pending.indices.min(by: { pending[$0].precedes(pending[$1]) }) {
            let item = pending.remove(at: index)
            running = item
            await broadcastStatus()
            return item
        }
        let item = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<QueueItem?, Never>) in
                if Task.isCancelled {
                    continuation.resume(returning: nil)
                } else {
                    waiter = continuation
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter() }
        }
        if item != nil { await broadcastStatus() }
        return item
    }

    private func cancelWaiter() {
        waiter?.resume(returning: nil)
        waiter = nil
    }

    /// `task_done`: the running prompt's history entry is written, then `status` is broadcast.
    func finish(_ item: QueueItem, outputs: JSONObject, status: JSONValue, meta: JSONObject) async {
        running = nil
        if history.count > Self.historyLimit, let oldest = history.keys.first { history[oldest] = nil }
        history[item.promptID] = [
            "prompt": item.json, "outputs": .object(outputs), "status": status, "meta": .object(meta),
        ]
        await broadcastStatus()
    }

    /// `POST /queue {"delete": [...]}`: removes pending prompts only.
    func delete(_ ids: [String]) async {
        for id in ids {
            guard let index = pending.firstIndex(where: { $0.promptID == id }) else { continue }
            pending.remove(at: index)
            await broadcastStatus()
        }
    }

    /// `POST /queue {"clear": true}`: empties the pending queue.
    func clear() async {
        pending.removeAll()
        await broadcastStatus()
    }

    /// `POST /interrupt`: without an id stops whatever runs; with one, only if that prompt is running.
    func interrupt(promptID: String?) {
        guard let promptID else {
            isInterrupted = true
            return
        }
        if running?.promptID == promptID { isInterrupted = true }
    }

    func resetInterrupt() { isInterrupted = false }

    /// `GET /queue`.
    var queueJSON: JSONValue {
        let sorted = pending.sorted { $0.precedes($1) }
        return ["queue_running": .array(running.map { [$0.json] } ?? []), "queue_pending": .array(sorted.map(\.json))]
    }

    /// `GET /history/{id}`: the entry, or `{}` until the prompt has finished.
    func history(for id: String) -> JSONValue {
        guard let entry = history[id] else { return [:] }
        return [id: entry]
    }

    /// `GET /history?max_items=&offset=`: entries oldest first, as upstream pages them.
    func history(maxItems: Int?, offset: Int) -> JSONValue {
        var start = offset
        if start < 0, let maxItems {
            // Python's integers do not overflow: `len(history) - max_items` past Int.max starts after the end.
            let (difference, overflow) = history.count.subtractingReportingOverflow(maxItems)
            start = overflow ? .max : difference
        }
        var page = JSONObject()
        for (index, member) in history.members.enumerated() where index >= start {
            page[member.key] = member.value
            if let maxItems, page.count >= maxItems { break }
        }
        return .object(page)
    }

    /// `POST /history`: `{"clear": true}` or `{"delete": [...]}`.
    func editHistory(clear: Bool, delete ids: [String]) {
        if clear { history = [:] }
        for id in ids { history[id] = nil }
    }

    private func broadcastStatus() async {
        await sockets.send("status", ["status": info], to: nil)
    }
}
