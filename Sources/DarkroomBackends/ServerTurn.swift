/// The worker's permission for a request to have the server: a backend waits for it before its request may
/// start on the GPU.
///
/// The worker hands a claimed job to its backend a little early (when the request before it reaches its last
/// step), so what can be prepared is ready when the turn comes. When to wait is the backend's call, because it
/// depends on the server: WebUI (A1111) runs one request at a time with one global progress and interrupt, so
/// its backend waits before sending; ComfyUI queues prompts and reports and interrupts each by id, so its backend
/// queues the prompt first and waits after, and the server starts it the moment the one before it ends.
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
    ///   the turn (it is draining); the request must then not start.
    public func wait() async throws {
        try await waitForTurn()
    }
}
