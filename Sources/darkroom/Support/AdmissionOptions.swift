import ArgumentParser

/// How the gateway admits jobs: `--default-deadline` for jobs whose client states none, `--max-queue-seconds`
/// for the longest predicted wait of a job without a deadline, `--webui-max-wait` for `/sdapi/v1` callers, and the
/// controlled delay of a standing queue.
struct AdmissionOptions: ParsableArguments {
    @Option(
        help: """
            Seconds after acceptance past which a job that states no deadline (deadline_seconds or \
            Request-Timeout) ends expired instead of starting or running on. Default: none.
            """)
    var defaultDeadline: Int?

    @Option(
        help: """
            The longest predicted wait (seconds) a job without a deadline is admitted with; past it the \
            submit is refused with 429 queue_full and a Retry-After.
            """)
    var maxQueueSeconds = 3_600.0

    @Option(
        help: """
            The longest predicted wait (seconds) a /sdapi/v1 txt2img call is admitted with (its caller waits on \
            the connection, which proxies cut after about 300 s); past it the call is refused with 429.
            """)
    var webuiMaxWait = 300.0

    @Option(
        help: """
            Controlled delay: once a job has been refused because its deadline could not be met, and until the \
            queue is next seen empty, a job with a deadline is admitted only with a predicted wait up to this many \
            seconds (429 queue_full past it), so a sustained overload keeps a short queue.
            """)
    var standingQueueTarget = 10.0

    func validate() throws {
        guard maxQueueSeconds > 0, maxQueueSeconds.isFinite else {
            throw ValidationError("--max-queue-seconds must be a number of seconds above 0")
        }
        guard webuiMaxWait > 0, webuiMaxWait.isFinite else {
            throw ValidationError("--webui-max-wait must be a number of seconds above 0")
        }
        guard standingQueueTarget > 0, standingQueueTarget.isFinite else {
            throw ValidationError("--standing-queue-target must be a number of seconds above 0")
        }
        if let defaultDeadline, !(1...86_400).contains(defaultDeadline) {
            throw ValidationError("--default-deadline must be within 1…86400 seconds")
        }
    }

    var duration: Duration? { defaultDeadline.map { .seconds($0) } }
}
