import DarkroomCore
import Foundation
import Logging

extension A1111Backend {
    /// Polls `/sdapi/v1/progress` until cancelled, reporting each increase while a job runs, and returns the last
    /// answer read (for ``A1111ProgressAnswer/interruption(lastPoll:isCancelled:)``). Polls follow `schedule`.
    ///
    /// A failed poll is skipped: progress is decoration, and the txt2img call itself reports a dead server.
    func followProgress(
        steps: Int, schedule: A1111PollSchedule, report: @Sendable (JobProgress) async -> Void
    ) async -> A1111ProgressAnswer? {
        var tracker = StepProgress(steps: steps)
        var lastPoll: A1111ProgressAnswer?
        let started = ContinuousClock.now
        var delay = schedule.firstDelay
        while true {
            do {
                try await Task.sleep(for: delay)
            } catch {
                return lastPoll
            }
            delay = schedule.interval
            guard
                let answer = try? await http.get(
                    "/sdapi/v1/progress", query: [("skip_current_image", "true")], timeout: configuration.probeTimeout,
                    maxBytes: 16 * 1024 * 1024),
                answer.isSuccess, let state = A1111ProgressAnswer(answer.body)
            else { continue }
            lastPoll = state
            guard state.isRunning else { continue }
            let elapsed = (ContinuousClock.now - started).seconds
            delay = schedule.delay(afterStep: state.samplingStep, of: state.samplingSteps, elapsed: elapsed)
            guard let progress = tracker.advance(value: Double(state.samplingStep), total: Double(state.samplingSteps))
            else { continue }
            await report(progress)
        }
    }

    /// Sends `POST /sdapi/v1/interrupt`, best effort, and waits at most ``Configuration/probeTimeout`` for it.
    ///
    /// Called from a cancelled task, whose HTTP calls AsyncHTTPClient would cancel at once, so the call runs in a
    /// task of its own (unstructured tasks do not inherit cancellation).
    func interrupt() async {
        let http = self.http
        let timeout = configuration.probeTimeout
        let sent = await Task {
            do {
                let answer = try await http.post(
                    "/sdapi/v1/interrupt", json: Data("{}".utf8), timeout: timeout, maxBytes: 65536)
                return answer.isSuccess
            } catch {
                return false
            }
        }.value
        if sent {
            logger.info("Backend interrupted")
        } else {
            logger.warning("Backend interrupt failed")
        }
    }
}
