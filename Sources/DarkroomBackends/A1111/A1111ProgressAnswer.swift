import Foundation

/// The part of `GET /sdapi/v1/progress` that matters: `state.job_count`, `sampling_step`, `sampling_steps` and
/// `interrupted`.
///
/// The endpoint describes whatever job the server is running; Darkroom keeps at most ``A1111Backend/slots``
/// requests (normally one) in flight per server, so a running job is ours (reference Gotcha 1). Between jobs
/// `job_count` is 0, and such answers report no steps. `interrupted` stays set after an interrupted job ends,
/// until the next job begins.
struct A1111ProgressAnswer: Sendable, Equatable {
    var jobCount: Int
    var samplingStep: Int
    var samplingSteps: Int
    var isInterrupted = false
}

extension A1111ProgressAnswer {
    /// `nil` when `body` is not a progress answer.
    init?(_ body: Data) {
        guard let state = BackendJSON.parse(body)?["state"], let jobCount = state["job_count"]?.int64Value else {
            return nil
        }
        self.jobCount = Int(jobCount)
        samplingStep = Int(state["sampling_step"]?.int64Value ?? 0)
        samplingSteps = Int(state["sampling_steps"]?.int64Value ?? 0)
        isInterrupted = state["interrupted"]?.boolValue ?? false
    }

    /// Whether a job is running with a step count to report.
    var isRunning: Bool { jobCount > 0 && samplingSteps > 0 }

    /// The error for a 200 txt2img answer, given the last progress poll of the request.
    ///
    /// An interrupted job still answers 200, with fewer or partial images (reference §5). When the last poll saw
    /// `interrupted` and Darkroom did not cancel (its own interrupt follows a cancellation or a timeout, which
    /// never reach this point), someone else interrupted: ``BackendError/interrupted``. Otherwise `nil`.
    static func interruption(lastPoll: A1111ProgressAnswer?, isCancelled: Bool) -> BackendError? {
        guard let lastPoll, lastPoll.isInterrupted, !isCancelled else { return nil }
        return .interrupted
    }
}
