import DarkroomCore
import Foundation
import Logging

extension A1111Backend {
    /// Waits for `call`'s answer while polling progress; returns the answer and the last poll read.
    ///
    /// Cancelling the calling task stops the polls but not the call: the server answers it (see ``stop(_:interrupting:)``).
    func follow(
        _ call: Task<Data, any Error>, steps: Int, schedule: A1111PollSchedule, previews: PreviewSink,
        report: @escaping @Sendable (JobProgress) async -> Void
    ) async -> (answer: Result<Data, any Error>, lastPoll: A1111ProgressAnswer?) {
        await withTaskGroup(of: Txt2ImgEvent.self) { group in
            group.addTask { .answered(await call.result) }
            group.addTask {
                .polled(await self.followProgress(steps: steps, schedule: schedule, previews: previews, report: report))
            }
            var answer: Result<Data, any Error> = .failure(CancellationError())
            var lastPoll: A1111ProgressAnswer?
            for await event in group {
                switch event {
                case .answered(let result):
                    answer = result
                    group.cancelAll()
                case .polled(let poll):
                    lastPoll = poll
                }
            }
            return (answer, lastPoll)
        }
    }

    /// Ends a request whose caller went away: interrupts it (when `interrupting`), then gives the server
    /// ``Configuration/interruptGrace`` to answer before the call is cancelled, closing its connection.
    func stop(_ call: Task<Data, any Error>, interrupting: Bool) async {
        if interrupting { await interrupt() }
        let grace = configuration.interruptGrace
        await withTaskGroup(of: Void.self) { group in
            // Cancelling the child that waits does not cancel the call itself.
            group.addTask { _ = await call.result }
            group.addTask { try? await Task.sleep(for: grace) }
            await group.next()
            group.cancelAll()
        }
        call.cancel()
    }

    /// Polls `/sdapi/v1/progress` until cancelled, reporting each increase while a job runs, and returns the last
    /// answer read (for ``A1111ProgressAnswer/interruption(lastPoll:isCancelled:)``). Polls follow `schedule`.
    ///
    /// A failed poll is skipped: progress is decoration, and the txt2img call itself reports a dead server.
    func followProgress(
        steps: Int, schedule: A1111PollSchedule, previews: PreviewSink, report: @Sendable (JobProgress) async -> Void
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
            // Asking for the image makes the server encode it: only while someone watches (and lastPoll says the
            // request runs: before that, the image would be the previous job's).
            var wantsImage = false
            if lastPoll?.isRunning == true { wantsImage = await previews.isWanted }
            guard
                let answer = try? await http.get(
                    "/sdapi/v1/progress", query: [("skip_current_image", wantsImage ? "false" : "true")],
                    timeout: configuration.probeTimeout, maxBytes: 16 * 1024 * 1024),
                answer.isSuccess, let state = A1111ProgressAnswer(answer.body)
            else { continue }
            lastPoll = state
            guard state.isRunning else { continue }
            if wantsImage, let preview = Self.preview(in: answer.body, at: state) { await previews.deliver(preview) }
            let elapsed = (ContinuousClock.now - started).seconds
            delay = schedule.delay(afterStep: state.samplingStep, of: state.samplingSteps, elapsed: elapsed)
            guard let progress = tracker.advance(value: Double(state.samplingStep), total: Double(state.samplingSteps))
            else { continue }
            await report(progress)
        }
    }

    /// The `current_image` of a progress answer as a preview, if there is one small enough for an event (a
    /// server set to full-size live previews sends images too big; docs/studio.md says which setting to use).
    static func preview(in body: Data, at state: A1111ProgressAnswer) -> PreviewImage? {
        guard let encoded = BackendJSON.parse(body)?["current_image"]?.stringValue,
            let data = Data(base64Encoded: encoded), let format = PreviewImageFormat(data), format.fitsAnEvent
        else { return nil }
        return PreviewImage(
            data: data, mediaType: format.mediaType,
            progress: JobProgress(step: state.samplingStep, steps: state.samplingSteps))
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

/// What a child task of ``A1111Backend/follow(_:steps:schedule:report:)`` ends with.
private enum Txt2ImgEvent: Sendable {
    /// The txt2img call's answer, still base64, or its error.
    case answered(Result<Data, any Error>)
    /// The progress poller stopped; its last successful poll, if any.
    case polled(A1111ProgressAnswer?)
}
