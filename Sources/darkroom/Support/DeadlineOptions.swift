import ArgumentParser

/// Deadlines the gateway gives jobs whose client states none: `--default-deadline`.
struct DeadlineOptions: ParsableArguments {
    @Option(
        help: """
            Seconds after acceptance past which a job that states no deadline (deadline_seconds or \
            Request-Timeout) ends expired instead of starting or running on. Default: none.
            """)
    var defaultDeadline: Int?

    func validate() throws {
        if let defaultDeadline, !(1...86_400).contains(defaultDeadline) {
            throw ValidationError("--default-deadline must be within 1…86400 seconds")
        }
    }

    var duration: Duration? { defaultDeadline.map { .seconds($0) } }
}
