/// The worker's permission for a request to have the server: a backend waits for it before its request may
/// start on the GPU.
///
/// The worker hands a claimed job to its backend a little early (when the request before it reaches its last
/// step), so its request can be on the server when the turn comes. When to wait is the backend's call: both
/// WebUI (A1111) and ComfyUI queue a request sent early and start it the moment the one before it ends, so their
/// backends send first and wait after; WebUI's progress and interrupt are global, so its backend reads progress
/// only from its turn on, and a request already sent is never abandoned (ComfyUI's can be withdrawn by id).
public struct ServerTurn: Sendable {
    private let waitForTurn: @Sendable () async throws -> Void

    /// A turn that begins when `wait` returns.
    public init(_ wait: @escaping @Sendable () async throws -> Void) {
        waitForTurn = wait
    }

    /// A turn that is already yours: for a backend used on its own.
    public static let now = ServerTurn {}

    /// Returns when the server is this request's.
    ///
    /// - Throws: `CancellationError` when the task is cancelled first, or the worker's error when it will not give
    ///   the turn (it is draining); a request not yet on the server must then not start.
    public func wait() async throws {
        try await waitForTurn()
    }
}
