import DarkroomWire

/// One queued prompt: `(number, prompt_id, prompt, extra_data, outputs_to_execute)`.
struct QueueItem: Sendable {
    /// Priority: lower runs first (`front` makes it negative).
    var number: Double
    var promptID: String
    var prompt: JSONObject
    /// `extra_data`, with `client_id` copied in.
    var extraData: JSONObject
    /// The output nodes that passed validation.
    var outputs: [String]

    /// The WebSocket client the prompt's events go to.
    var clientID: String? { extraData["client_id"]?.string }

    /// The item as `/queue` and `/history` show it.
    var json: JSONValue {
        [.double(number), .string(promptID), .object(prompt), .object(extraData), .strings(outputs)]
    }

    /// Whether this item runs before `other`: the heap order `(number, prompt_id)`.
    func precedes(_ other: QueueItem) -> Bool {
        number != other.number ? number < other.number : promptID < other.promptID
    }
}
