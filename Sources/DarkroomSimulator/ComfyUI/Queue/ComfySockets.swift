import DarkroomWire

/// The simulated ComfyUI's WebSocket clients by `clientId` (`sid`), and `send_sync`: a message goes to one
/// client, or to every client when no id is given; a preview image goes to one client as a binary frame.
///
/// Concurrency: an actor. Each connection drains its own stream in order, so the messages one sender
/// emits arrive in the order it sent them. A reconnect with the same id replaces the old socket, which
/// then receives nothing more, as upstream.
actor ComfySockets {
    private struct Connection {
        var token: UInt64
        var continuation: AsyncStream<ComfyFrame>.Continuation
    }

    private var connections: [String: Connection] = [:]
    private var nextToken: UInt64 = 0

    /// Registers client `sid` and queues its first message, `status` with the `sid`.
    ///
    /// - Returns: the stream of frames to write, and the token that ``disconnect(_:token:)`` needs.
    func connect(_ sid: String, queueInfo: JSONValue) -> (messages: AsyncStream<ComfyFrame>, token: UInt64) {
        let (stream, continuation) = AsyncStream<ComfyFrame>.makeStream()
        nextToken += 1
        connections[sid] = Connection(token: nextToken, continuation: continuation)
        continuation.yield(.text(Self.frame("status", ["status": queueInfo, "sid": .string(sid)])))
        return (stream, nextToken)
    }

    /// Forgets client `sid`, unless it has reconnected since (a newer token).
    func disconnect(_ sid: String, token: UInt64) {
        guard connections[sid]?.token == token else { return }
        connections.removeValue(forKey: sid)?.continuation.finish()
    }

    /// Sends `{"type": event, "data": data}` to client `sid`, or to every client when `sid` is `nil`.
    func send(_ event: String, _ data: JSONValue, to sid: String?) {
        let text = ComfyFrame.text(Self.frame(event, data))
        if let sid {
            connections[sid]?.continuation.yield(text)
        } else {
            for connection in connections.values { connection.continuation.yield(text) }
        }
    }

    /// Sends a PNG preview to client `sid`: event type 1 (`PREVIEW_IMAGE`) and format 2 (PNG), big-endian,
    /// then the image, as `send_sync(BinaryEventTypes.PREVIEW_IMAGE, …)` does.
    func sendPreview(png: [UInt8], to sid: String) {
        connections[sid]?.continuation.yield(.binary([0, 0, 0, 1, 0, 0, 0, 2] + png))
    }

    /// Ends every connection's stream (server shutdown).
    func closeAll() {
        for connection in connections.values { connection.continuation.finish() }
        connections.removeAll()
    }

    private static func frame(_ event: String, _ data: JSONValue) -> String {
        JSONValue.object(["type": .string(event), "data": data]).serialized(.pythonDefault)
    }
}

/// One WebSocket frame for a client: a JSON event, or a binary preview.
enum ComfyFrame: Sendable {
    case text(String)
    case binary([UInt8])
}
