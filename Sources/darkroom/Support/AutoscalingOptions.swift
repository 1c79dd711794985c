import ArgumentParser

/// What the gateway's autoscaling signal (`darkroom_desired_workers`) aims for: `--latency-target`.
struct AutoscalingOptions: ParsableArguments {
    @Option(
        help: """
            Seconds a job may take from submit to finish before darkroom_desired_workers asks for more \
            workers (the seed scaled on a 30 s mean response time).
            """)
    var latencyTarget = 30.0

    func validate() throws {
        guard latencyTarget > 0, latencyTarget.isFinite else {
            throw ValidationError("--latency-target must be a number of seconds above 0")
        }
    }
}
