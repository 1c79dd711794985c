/// A first-come, first-served lock for async code: the simulated WebUI's `queue_lock`.
///
/// A1111 wraps every generation in one process-wide lock, so extra requests wait inside their open HTTP
/// connections. Unlike A1111's `threading.Lock` this one is fair (FIFO). A waiter whose task is cancelled
/// (the server is shutting down) leaves the line and throws `CancellationError`.
actor FIFOLock {
    private var isHeld = false
    private var nextTicket: UInt64 = 0
    private var waiters: [(ticket: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []

    /// Waits until the lock is free and takes it. Every successful call must be paired with ``release()``.
    func acquire() async throws {
        if !isHeld {
            isHeld = true
            return
        }
        let ticket = nextTicket
        nextTicket += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append((ticket, continuation))
                }
            }
        } onCancel: {
            Task { await self.leave(ticket) }
        }
    }

    /// Hands the lock to the longest waiter, or frees it.
    func release() {
        if waiters.isEmpty {
            isHeld = false
        } else {
            waiters.removeFirst().continuation.resume()
        }
    }

    private func leave(_ ticket: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.ticket == ticket }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}
