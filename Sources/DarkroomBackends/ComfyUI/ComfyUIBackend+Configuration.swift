extension ComfyUIBackend {
    /// Timeouts, intervals and limits for one ComfyUI server.
    public struct Configuration: Sendable, Equatable {
        /// How long a TCP connection may take (default HTTP client), and the WebSocket handshake before the job is
        /// submitted anyway and followed through `/history` alone.
        public var connectTimeout: Duration
        /// The deadline of each HTTP call (`/prompt`, `/history`, `/view`); also the default client's read timeout.
        /// The prompt as a whole has no deadline of its own: the worker's job timeout cancels it.
        public var requestTimeout: Duration
        /// The deadline of health checks, and of the interrupt and queue removal sent on cancellation.
        public var probeTimeout: Duration
        /// How often `/history/{prompt_id}` is polled while the prompt runs. WebSocket events are not replayed, so
        /// this poll is what finishes a job whose socket dropped or never opened; it is one small GET.
        public var historyPollInterval: Duration
        /// Consecutive failed history polls after which the server counts as gone.
        public var historyFailureLimit: Int
        /// The largest answer read (one image from `/view`, one WebSocket message).
        public var maxResponseBytes: Int

        public init(
            connectTimeout: Duration = .seconds(5), requestTimeout: Duration = .seconds(600),
            probeTimeout: Duration = .seconds(5), historyPollInterval: Duration = .seconds(1),
            historyFailureLimit: Int = 5, maxResponseBytes: Int = 256 * 1024 * 1024
        ) {
            self.connectTimeout = connectTimeout
            self.requestTimeout = requestTimeout
            self.probeTimeout = probeTimeout
            self.historyPollInterval = historyPollInterval
            self.historyFailureLimit = historyFailureLimit
            self.maxResponseBytes = maxResponseBytes
        }
    }
}
