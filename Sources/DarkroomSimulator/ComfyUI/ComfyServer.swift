import Hummingbird
import Logging

/// The simulated ComfyUI: its HTTP routes, its WebSocket and the worker that runs the prompt queue.
struct ComfyServer: Sendable {
    let configuration: SimulatorConfiguration
    let catalog: NodeCatalog
    let sockets = ComfySockets()
    let queue: ComfyQueue
    let files = OutputFiles()
    let executor: PromptExecutor
    /// When the GPU was busy, for `/internal/gpu-stats`.
    let busy: BusyLog
    let logger: Logger

    init(configuration: SimulatorConfiguration, busy: BusyLog = BusyLog(), logger: Logger) {
        self.configuration = configuration
        self.busy = busy
        self.logger = logger
        catalog = NodeCatalog(configuration: configuration)
        queue = ComfyQueue(sockets: sockets)
        executor = PromptExecutor(
            configuration: configuration, queue: queue, sockets: sockets, files: files, logger: logger)
    }

    /// The service that takes prompts from the queue one at a time.
    var worker: ComfyWorker {
        ComfyWorker(queue: queue, executor: executor, sockets: sockets, busy: busy, logger: logger)
    }

    /// Registers every HTTP route (call once for `/` and once for `/api`).
    func register<Routes: RouterMethods>(on routes: Routes) {
        registerPrompt(on: routes)
        registerQueue(on: routes)
        registerFiles(on: routes)
        registerSystem(on: routes)
    }
}
