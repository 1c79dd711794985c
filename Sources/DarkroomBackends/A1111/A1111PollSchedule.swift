/// When to poll `/sdapi/v1/progress` next, so that a poll lands in the request's last step: that poll is what
/// lets the worker claim the next job in time to hand it to the server the moment this one answers.
///
/// Polls come every ``interval``, except that the first comes at three quarters of the time the request is
/// expected to take (from the last request's pace), and a poll that saw step `s` of `n` times the next one for
/// just after step `n − 1` at the pace seen so far. Nothing is polled sooner than ``minimum`` apart.
struct A1111PollSchedule: Sendable, Equatable {
    var interval: Duration
    /// The seconds this request should take, if known.
    var expectedSeconds: Double?
    var minimum: Duration = .milliseconds(20)

    /// The wait before the first poll.
    var firstDelay: Duration {
        guard let expectedSeconds else { return interval }
        return clamped(expectedSeconds * 0.75)
    }

    /// The wait before the next poll, after one that saw `step` of `steps` at `elapsed` seconds into the request.
    func delay(afterStep step: Int, of steps: Int, elapsed: Double) -> Duration {
        guard step >= 1, steps - step > 1, elapsed > 0 else { return interval }
        let lastStepStarts = elapsed * Double(steps - 1) / Double(step)
        return clamped((lastStepStarts - elapsed) * 1.1 + 0.005)
    }

    private func clamped(_ seconds: Double) -> Duration {
        guard seconds.isFinite else { return interval }
        return min(interval, max(minimum, .nanoseconds(Int64(min(seconds, 86_400) * 1e9))))
    }
}
