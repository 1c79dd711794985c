import Foundation
import Logging
import NIOCore
import WSClient

/// The WebSocket `{base}/ws?clientId=<id>`, decoded into ``ComfyUISignal``s.
///
/// Text frames become ``ComfyUIEvent``s; binary `PREVIEW_IMAGE` frames (reference gotcha 1) become previews, and
/// other binary frames are skipped.
/// The socket counts as open at the server's first text frame (the `status` it greets every socket with), not at
/// the HTTP upgrade: ComfyUI registers the socket under its client id only after the upgrade, so a prompt
/// submitted in between would send its first events to nobody.
/// WSClient always sends an `Origin` header without the port (`ws://host`). ComfyUI's origin check (loopback
/// hosts, without `--enable-cors-header`) compares host names only when the origin has no port, so the socket
/// passes; a proxy that forwards a browser's `Origin` can still get a 403, and then the job is followed through
/// `/history` alone, without step progress.
///
/// WSClient waits for the upgrade answer without regard to task cancellation, so ``ComfyUIBackend`` gives a
/// socket that does not open within its connect timeout up, and waits for it at the end of an attempt only
/// within a bound (see `ComfyUIBackend+Socket.swift`).
struct ComfyUIEventSocket: Sendable {
    let url: String
    let maxMessageBytes: Int
    let logger: Logger

    /// `baseURL`'s WebSocket twin (`http` → `ws`, `https` → `wss`) for `clientID`.
    static func url(http: ServerHTTP, clientID: String) -> String {
        let url = http.url("/ws", query: [("clientId", clientID)])
        if url.hasPrefix("https://") { return "wss://" + url.dropFirst("https://".count) }
        if url.hasPrefix("http://") { return "ws://" + url.dropFirst("http://".count) }
        return url
    }

    /// Connects and forwards signals until the socket ends or the task is cancelled.
    func run(into sink: AsyncStream<ComfyUISignal>.Continuation) async {
        let configuration = WebSocketClientConfiguration(
            maxFrameSize: min(maxMessageBytes, 16 * 1024 * 1024), closeTimeout: .seconds(1))
        let maxMessageBytes = self.maxMessageBytes
        do {
            try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, _, _ in
                var isOpen = false
                for try await message in inbound.messages(maxSize: maxMessageBytes) {
                    if case .binary(let frame) = message, let preview = Self.preview(in: frame) {
                        sink.yield(preview)
                        continue
                    }
                    guard case .text(let text) = message else { continue }
                    if !isOpen {
                        isOpen = true
                        sink.yield(.socketOpened)
                    }
                    if let event = ComfyUIEvent(text: text) { sink.yield(.event(event)) }
                }
            }
            sink.yield(.socketClosed(nil))
        } catch {
            sink.yield(.socketClosed(String(describing: error)))
        }
    }

    /// A `PREVIEW_IMAGE` frame's image: event type 1, then format 1 (JPEG) or 2 (PNG), both 4-byte big-endian,
    /// then the image from byte 8.
    static func preview(in frame: ByteBuffer) -> ComfyUISignal? {
        let bytes = Array(frame.readableBytesView)
        guard bytes.count > 8, bytes[0..<4] == [0, 0, 0, 1], bytes[4..<7] == [0, 0, 0] else { return nil }
        let mediaType: String
        switch bytes[7] {
        case 1: mediaType = "image/jpeg"
        case 2: mediaType = "image/png"
        default: return nil
        }
        return .preview(Data(bytes[8...]), mediaType: mediaType)
    }
}
