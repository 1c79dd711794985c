import DarkroomWire

/// The WebUI's task bookkeeping (`modules/progress.py`): which task ids wait for the queue lock, which one
/// runs, and the last 16 that finished. `POST /internal/progress` answers from it.
struct A1111Tasks: Sendable {
    private(set) var pending: [String] = []
    private(set) var current: String?
    private(set) var finished: [String] = []

    /// `create_task_id("txt2img")`: `task(txt2img-XXXXXXX)`.
    static func makeID(_ type: String = "txt2img") -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return "task(\(type)-\(String((0..<7).map { _ in alphabet.randomElement()! })))"
    }

    mutating func add(_ id: String) { pending.append(id) }

    mutating func start(_ id: String) {
        pending.removeAll { $0 == id }
        current = id
    }

    mutating func finish(_ id: String) {
        pending.removeAll { $0 == id }
        if current == id { current = nil }
        finished.append(id)
        if finished.count > 16 { finished.removeFirst(finished.count - 16) }
    }

    /// The body of `POST /internal/progress` for `id`.
    func report(for id: String, state: A1111State) -> JSONValue {
        let isActive = id == current
        let isQueued = pending.contains(id)
        let isCompleted = finished.contains(id)
        guard isActive else {
            let text = pending.firstIndex(of: id).map { "In queue: \($0 + 1)/\(pending.count)" } ?? "Waiting..."
            return [
                "active": false, "queued": .bool(isQueued), "completed": .bool(isCompleted), "progress": nil,
                "eta": nil,
                "live_preview": nil, "id_live_preview": -1, "textinfo": .string(text),
            ]
        }
        let progress = state.taskProgress
        let elapsed = state.elapsedSeconds
        let eta: JSONValue = progress > 0 ? .double(elapsed / progress - elapsed) : .null
        return [
            "active": true, "queued": false, "completed": false, "progress": .double(progress), "eta": eta,
            "live_preview": nil, "id_live_preview": -1, "textinfo": nil,
        ]
    }
}
