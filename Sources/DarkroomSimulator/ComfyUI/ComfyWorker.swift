import Logging
import ServiceLifecycle

/// ComfyUI's `prompt_worker`: runs one prompt at a time, in priority order, until graceful shutdown.
///
/// On graceful shutdown the prompt that is running stops at its next step, with no further events.
struct ComfyWorker: Service {
    let queue: ComfyQueue
    let executor: PromptExecutor
    let sockets: ComfySockets
    let logger: Logger

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    guard let item = await queue.next() else { break }
                    try await executor.execute(item)
                }
            }
        } catch is CancellationError {
            logger.debug("Prompt worker stopped mid-prompt")
        }
        await sockets.closeAll()
    }
}
