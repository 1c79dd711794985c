import Foundation

/// Something the loop following one prompt hears: from the WebSocket, the history poller or a timer.
///
/// Everything arrives through one `AsyncStream`, so the loop is a single `for await` that cancellation ends.
enum ComfyUISignal: Sendable {
    /// The server greeted the WebSocket; events for our client id will follow.
    case socketOpened
    /// The WebSocket ended or never opened (with the reason, when it failed).
    case socketClosed(String?)
    /// The WebSocket did not open within ``ComfyUIBackend/Configuration/connectTimeout``.
    case socketDeadline
    /// A decoded WebSocket event (any prompt id: the loop filters).
    case event(ComfyUIEvent)
    /// A binary preview frame: the running prompt's picture so far (the socket is this attempt's own, and
    /// ComfyUI sends previews only to the running prompt's client).
    case preview(Data, mediaType: String)
    /// The history poller found the prompt finished.
    case history(ComfyUIHistory.Outcome)
    /// The history poller gave up on an unreachable or broken server.
    case historyFailed(BackendError)
}
