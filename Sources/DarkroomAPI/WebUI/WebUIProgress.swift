import DarkroomCore
import DarkroomWire
import Foundation

/// `GET /sdapi/v1/progress` for a Darkroom job, in the shape of A1111's `shared.state`.
///
/// A queued job reports progress 0.01 with its expected wait as the ETA; a running one
/// `0.01 + step/steps` with A1111's extrapolated ETA; no job at all is WebUI's idle answer.
enum WebUIProgress {
    /// The idle answer: progress 0, `job_count` 0.
    static let idle: JSONValue = [
        "progress": 0.0, "eta_relative": 0.0, "state": state(job: "", count: 0, timestamp: "0", step: 0, steps: 0),
        "current_image": nil, "textinfo": nil, "current_task": nil,
    ]

    /// The answer for `job`, queued or running; terminal jobs are idle.
    ///
    /// - Parameter queuedWait: the expected seconds until a queued job finishes.
    static func report(_ job: Job, queuedWait: Double?, now: Date = Date()) -> JSONValue {
        switch job.state {
        case .queued:
            return [
                "progress": 0.01, "eta_relative": .double(queuedWait ?? 0),
                "state": state(
                    job: "queued", count: 1, timestamp: timestamp(job.createdAt), step: 0, steps: job.progress.steps),
                "current_image": nil, "textinfo": "Queued", "current_task": .string(job.id.rawValue),
            ]
        case .running:
            let steps = max(job.progress.steps, 1)
            let progress = min(0.01 + Double(job.progress.step) / Double(steps), 1)
            let elapsed = now.timeIntervalSince(job.startedAt ?? job.createdAt)
            return [
                "progress": .double(progress), "eta_relative": .double(max(0, elapsed / progress - elapsed)),
                "state": state(
                    job: "scripts_txt2img", count: 1, timestamp: timestamp(job.startedAt ?? job.createdAt),
                    step: job.progress.step, steps: job.progress.steps),
                "current_image": nil, "textinfo": nil, "current_task": .string(job.id.rawValue),
            ]
        case .succeeded, .failed, .canceled, .expired:
            return idle
        }
    }

    /// A1111's `job_timestamp`, in UTC (a gateway has no one local time for its clients).
    static func timestamp(_ date: Date) -> String { A1111Timestamp.string(date, timeZone: .gmt) }

    private static func state(job: String, count: Int, timestamp: String, step: Int, steps: Int) -> JSONValue {
        [
            "skipped": false, "interrupted": false, "stopping_generation": false, "job": .string(job),
            "job_count": .integer(count), "job_timestamp": .string(timestamp), "job_no": 0,
            "sampling_step": .integer(step), "sampling_steps": .integer(steps),
        ]
    }
}
