import Logging
import Synchronization

extension ComfyUIBackend {
    /// Starts the event socket of one attempt, or yields `.socketClosed` at once when ``slots`` earlier sockets
    /// still hang in their upgrade: a server that accepts connections and never answers the upgrade then costs
    /// step progress, not one more stuck connection per attempt.
    func openSocket(clientID: String, into sink: AsyncStream<ComfyUISignal>.Continuation) -> Task<Void, Never>? {
        let stuck = stuckSockets.withLock { $0 }
        guard stuck < slots else {
            sink.yield(.socketClosed("\(stuck) earlier event sockets still wait for their upgrade"))
            return nil
        }
        let socket = ComfyUIEventSocket(
            url: ComfyUIEventSocket.url(http: http, clientID: clientID),
            maxMessageBytes: configuration.maxResponseBytes, logger: logger)
        // Unstructured, so a server that never answers the upgrade cannot hold the attempt open.
        return Task { await socket.run(into: sink) }
    }

    /// Cancels the socket and waits for it to end, at most ``Configuration/connectTimeout``, even when the calling
    /// task is cancelled. WSClient ignores cancellation while it waits for the upgrade answer: a socket still
    /// running after the wait counts as stuck until it ends on its own (the server answers or drops it).
    func closeSocket(_ task: Task<Void, Never>?) async {
        guard let task else { return }
        task.cancel()
        guard await !Self.ends(task, within: configuration.connectTimeout) else { return }
        logger.warning("Backend event socket stuck in its upgrade, left to end on its own")
        stuckSockets.withLock { $0 += 1 }
        Task {
            await task.value
            self.stuckSockets.withLock { $0 -= 1 }
        }
    }

    /// Whether `task` ended within `limit`. A continuation, not a task group, so the wait neither ends early
    /// for a cancelled caller nor outlasts `limit` for a task that ignores cancellation.
    static func ends(_ task: Task<Void, Never>, within limit: Duration) async -> Bool {
        await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            let timer = Task {
                guard (try? await Task.sleep(for: limit)) != nil else { return }
                once.resume(false)
            }
            Task {
                await task.value
                once.resume(true)
                timer.cancel()
            }
        }
    }
}

/// A continuation that the first of several racers resumes; the others do nothing.
private final class ResumeOnce: Sendable {
    private let continuation: Mutex<CheckedContinuation<Bool, Never>?>

    init(_ continuation: CheckedContinuation<Bool, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume(_ value: Bool) {
        continuation.withLock { $0.take() }?.resume(returning: value)
    }
}
