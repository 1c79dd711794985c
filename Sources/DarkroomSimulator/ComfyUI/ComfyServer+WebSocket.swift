import DarkroomCore
import DarkroomWire
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

extension ComfyServer {
    /// `GET /ws?clientId=ID`: the first message is `status` with the `sid`; then this client gets its
    /// prompts' events and every broadcast. A first message `{"type": "feature_flags", …}` is answered
    /// with the server's flags.
    func registerWebSocket(on router: Router<BasicWebSocketRequestContext>, path: RouterPath) {
        router.ws(path) { _, _ in
            .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let requested = context.request.uri.queryParameters["clientId"].map(String.init) ?? ""
            let sid =
                requested.isEmpty ? UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "") : requested
            let (messages, token) = await sockets.connect(sid, queueInfo: await queue.info)
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await frame in messages {
                            switch frame {
                            case .text(let text): try await outbound.write(.text(text))
                            case .binary(let bytes): try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
                            }
                        }
                    }
                    group.addTask {
                        var isFirst = true
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            guard isFirst else { continue }
                            isFirst = false
                            guard case .text(let text) = message,
                                JSONParser.parseOrNil(Array(text.utf8))?["type"]?.string == "feature_flags"
                            else { continue }
                            await sockets.send("feature_flags", Self.features, to: sid)
                        }
                    }
                    // Either side ending (the client closed, or the server shuts down) ends the connection.
                    _ = try await group.next()
                    group.cancelAll()
                }
            } catch {
                context.logger.debug("WebSocket connection ended", metadata: [LogKey.error.rawValue: "\(error)"])
            }
            await sockets.disconnect(sid, token: token)
        }
    }
}
