import DarkroomWire
import Foundation

/// The bookkeeping of one prompt's execution: status messages for history, executed nodes, UI outputs and
/// per-node progress (`progress_state`).
struct PromptRun: Sendable {
    enum NodeState: String, Sendable {
        case running, finished
    }

    let item: QueueItem
    /// `[event, data]` pairs recorded by `add_message` (history `status.messages`).
    private(set) var messages: [JSONValue] = []
    var executed: [String] = []
    var outputs = JSONObject()
    var meta = JSONObject()
    private var progress: [(id: String, value: Int, max: Int, state: NodeState)] = []

    init(item: QueueItem) {
        self.item = item
    }

    var promptID: JSONValue { .string(item.promptID) }

    /// `add_message`: `data` plus a millisecond `timestamp`, recorded for history.
    mutating func message(_ event: String, _ data: JSONObject) -> JSONValue {
        var data = data
        data["timestamp"] = .int(Int64(Date().timeIntervalSince1970 * 1000))
        messages.append([.string(event), .object(data)])
        return .object(data)
    }

    /// Records a node's progress; a node seen for the first time starts at 0 of 1.
    mutating func setProgress(_ id: String, value: Int? = nil, max: Int? = nil, state: NodeState) {
        if let index = progress.firstIndex(where: { $0.id == id }) {
            progress[index].value = value ?? progress[index].value
            progress[index].max = max ?? progress[index].max
            progress[index].state = state
        } else {
            progress.append((id, value ?? 0, max ?? 1, state))
        }
        if state == .finished, let index = progress.firstIndex(where: { $0.id == id }) {
            progress[index].value = progress[index].max
        }
    }

    /// The `progress_state` message: every node that has started.
    var progressState: JSONValue {
        var nodes = JSONObject()
        for node in progress {
            nodes[node.id] = [
                "value": .integer(node.value), "max": .integer(node.max), "state": .string(node.state.rawValue),
                "node_id": .string(node.id), "prompt_id": promptID, "display_node_id": .string(node.id),
                "parent_node_id": nil, "real_node_id": .string(node.id),
            ]
        }
        return ["prompt_id": promptID, "nodes": .object(nodes)]
    }
}
