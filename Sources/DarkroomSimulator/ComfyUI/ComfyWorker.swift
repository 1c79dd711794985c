import Foundation
import Logging
import ServiceLifecycle

/// ComfyUI's `prompt_worker`: runs one prompt at a time, in priority order, until graceful shutdown.
///
/// On graceful shutdown the prompt that is running stops at its next step, with no further events. Each prompt's
/// execution, from its start to its history entry, counts as GPU time in ``busy``.
struct ComfyWorker: Service {
    let queue: ComfyQueue
    let executor: PromptExecutor
    let sockets: ComfySockets
    let busy: BusyLog
    let logger: Logger

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    guard let item = await queue.next() else { break }
                    let started = Date()
                    try await executor.execute(item)
                    busy.record(start: started, end: Date())
                }
            }
        } catch is CancellationError {
            logger.debug("Prompt worker stopped mid-prompt")
        }
        await sockets.closeAll()
    }
}
