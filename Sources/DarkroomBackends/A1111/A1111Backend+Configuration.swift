extension A1111Backend {
    /// Timeouts and limits for one A1111 / Forge server.
    ///
    /// A1111 sends nothing until the whole generation is done, and it holds queued requests open inside its lock,
    /// so ``requestTimeout`` must cover a queue wait, a model load and the generation. The worker's job timeout
    /// cancels the task sooner when it is shorter.
    public struct Configuration: Sendable, Equatable {
        /// How long a TCP connection to the server may take (used by the default HTTP client).
        public var connectTimeout: Duration
        /// The deadline of the `txt2img` call, also the HTTP client's read timeout.
        public var requestTimeout: Duration
        /// The deadline of health checks, progress polls and the interrupt.
        public var probeTimeout: Duration
        /// How often `/sdapi/v1/progress` is polled while a request runs.
        ///
        /// 0.5 s keeps progress lively for Z-Image Turbo's few, fast steps. The reference warns that each poll also
        /// makes the server decode a live preview (Gotcha 6) and suggests ~1 s or slower on real GPUs: raise it
        /// there, or turn off live previews on the server.
        public var progressInterval: Duration
        /// The largest answer read (base64 images for a whole batch).
        public var maxResponseBytes: Int
        /// How long a cancelled request may take to answer after its interrupt (or, past its last step, to finish)
        /// before Darkroom stops waiting and closes its connection.
        public var interruptGrace: Duration

        public init(
            connectTimeout: Duration = .seconds(5), requestTimeout: Duration = .seconds(600),
            probeTimeout: Duration = .seconds(5), progressInterval: Duration = .milliseconds(500),
            maxResponseBytes: Int = 512 * 1024 * 1024, interruptGrace: Duration = .seconds(30)
        ) {
            self.connectTimeout = connectTimeout
            self.requestTimeout = requestTimeout
            self.probeTimeout = probeTimeout
            self.progressInterval = progressInterval
            self.maxResponseBytes = maxResponseBytes
            self.interruptGrace = interruptGrace
        }
    }
}
