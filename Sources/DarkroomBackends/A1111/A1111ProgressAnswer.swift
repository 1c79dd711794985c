import Foundation

/// The part of `GET /sdapi/v1/progress` that matters: `state.job_count`, `sampling_step`, `sampling_steps`.
///
/// The endpoint describes whatever job the server is running; Darkroom keeps at most ``A1111Backend/slots``
/// requests (normally one) in flight per server, so a running job is ours (reference Gotcha 1). Between jobs
/// `job_count` is 0, and such answers are ignored.
struct A1111ProgressAnswer: Sendable, Equatable {
    var jobCount: Int
    var samplingStep: Int
    var samplingSteps: Int
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
    }

    /// Whether a job is running with a step count to report.
    var isRunning: Bool { jobCount > 0 && samplingSteps > 0 }
}
