extension ComfyUIBackend {
    /// Timeouts, intervals and limits for one ComfyUI server.
    public struct Configuration: Sendable, Equatable {
        /// How long a TCP connection may take (default HTTP client), and the WebSocket handshake: a socket that
        /// misses it is given up and the job is followed through `/history` alone. Also how long an attempt's end
        /// waits for its socket to close.
        public var connectTimeout: Duration
        /// The deadline of `POST /prompt` and of each `/view` download; also the default client's read timeout.
        /// The prompt as a whole has no deadline of its own: the worker's job timeout cancels it.
        public var requestTimeout: Duration
        /// The deadline of health checks, `/history` polls, `/queue` checks, and the interrupt and queue removal
        /// sent on cancellation: small answers a healthy server gives at once.
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
