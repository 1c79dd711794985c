import Foundation
import Logging
import Synchronization
import WSClient

/// One JSON text message from ComfyUI's WebSocket: `{"type": …, "data": {…}}`.
struct ComfyEvent {
    var type: String
    var data: [String: Any]

    var promptID: String? { data["prompt_id"] as? String }
}

/// A ComfyUI `/ws?clientId=…` connection for tests: it records every text message the server sends, in order.
///
/// ``connect(baseURL:clientID:)`` returns once the server's first `status` message (with our `sid`) has
/// arrived, so the socket is registered before the test posts a prompt. ``close()`` is idempotent.
final class ComfyWebSocket: Sendable {
    private final class Log: Sendable {
        let texts = Mutex<[String]>([])
        let failure = Mutex<String?>(nil)
    }

    let clientID: String
    private let log = Log()
    private let task: Task<Void, Never>

    private init(url: String, clientID: String) {
        self.clientID = clientID
        let log = self.log
        task = Task {
            do {
                try await WebSocketClient.connect(url: url, logger: Logger(label: "comfy-ws-test")) { inbound, _, _ in
                    for try await message in inbound.messages(maxSize: 1 << 24) {
                        if case .text(let text) = message { log.texts.withLock { $0.append(text) } }
                    }
                }
            } catch {
                log.failure.withLock { $0 = String(describing: error) }
            }
        }
    }

    deinit { task.cancel() }

    /// Connects to `baseURL` (`http://host:port`) as `clientID` and waits for the greeting `status`.
    static func connect(baseURL: String, clientID: String) async throws -> ComfyWebSocket {
        let url = baseURL.replacingOccurrences(of: "http://", with: "ws://") + "/ws?clientId=\(clientID)"
        let socket = ComfyWebSocket(url: url, clientID: clientID)
        _ = try await socket.waitFor("status", timeout: .seconds(60)) { $0["sid"] as? String == clientID }
        return socket
    }

    /// Every message received so far.
    var events: [ComfyEvent] {
        log.texts.withLock { $0 }.compactMap { text in
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                let type = object["type"] as? String
            else { return nil }
            return ComfyEvent(type: type, data: object["data"] as? [String: Any] ?? [:])
        }
    }

    /// Waits (bounded) until a message of `type` whose data satisfies `predicate` has arrived.
    func waitFor(
        _ type: String, timeout: Duration = .seconds(120), where predicate: ([String: Any]) -> Bool = { _ in true }
    ) async throws -> ComfyEvent {
        try await waitUntil("a \(type) WebSocket message arrives", timeout: timeout, every: .milliseconds(20)) {
            if let failure = log.failure.withLock({ $0 }) { throw ConnectionFailed(reason: failure) }
            return events.first { $0.type == type && predicate($0.data) }
        }
    }

    func close() { task.cancel() }

    /// The WebSocket connection failed or was refused.
    struct ConnectionFailed: Error, CustomStringConvertible {
        var reason: String
        var description: String { "the ComfyUI WebSocket failed: \(reason)" }
    }
}
