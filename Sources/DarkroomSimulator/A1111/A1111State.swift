import DarkroomWire
import Foundation

/// The WebUI's process-wide `shared.state`: what the one running job is doing, which is all
/// `GET /sdapi/v1/progress` reports.
///
/// Like upstream, ``end()`` clears only `job` and `job_count`; the step counters keep their last values
/// until the next ``begin(job:)``, and an interrupt sent while idle stays visible until then.
struct A1111State: Sendable {
    var skipped = false
    var interrupted = false
    var stoppingGeneration = false
    var job = ""
    var jobCount = 0
    var jobTimestamp = "0"
    var jobNumber = 0
    var samplingStep = 0
    var samplingSteps = 0
    var started = ContinuousClock.now

    /// `state.begin(job=…)`: a new job starts; flags and counters reset.
    mutating func begin(job: String, now: Date = Date()) {
        samplingStep = 0
        started = .now
        jobCount = -1
        jobNumber = 0
        jobTimestamp = A1111Timestamp.string(now)
        skipped = false
        interrupted = false
        stoppingGeneration = false
        self.job = job
    }

    /// `state.nextjob()`: one batch of `n_iter` is done.
    mutating func nextJob() {
        jobNumber += 1
        samplingStep = 0
    }

    /// `state.end()`.
    mutating func end() {
        job = ""
        jobCount = 0
    }

    /// `State.dict()`.
    var dictionary: JSONValue {
        [
            "skipped": .bool(skipped), "interrupted": .bool(interrupted),
            "stopping_generation": .bool(stoppingGeneration),
            "job": .string(job), "job_count": .integer(jobCount), "job_timestamp": .string(jobTimestamp),
            "job_no": .integer(jobNumber), "sampling_step": .integer(samplingStep),
            "sampling_steps": .integer(samplingSteps),
        ]
    }

    /// The body of `GET /sdapi/v1/progress`: idle is progress 0, ETA 0; otherwise
    /// `0.01 + job_no/job_count + (sampling_step/sampling_steps)/job_count` (capped at 1) and an ETA
    /// extrapolated from the time since the job began; `current_image` is the live preview, when asked for.
    func progress(currentTask: String?, currentImage: String? = nil) -> JSONValue {
        guard jobCount != 0 else {
            return [
                "progress": 0.0, "eta_relative": 0.0, "state": dictionary, "current_image": nil, "textinfo": nil,
                "current_task": nil,
            ]
        }
        var progress = 0.01
        if jobCount > 0 { progress += Double(jobNumber) / Double(jobCount) }
        if samplingSteps > 0, jobCount > 0 {
            progress += 1 / Double(jobCount) * Double(samplingStep) / Double(samplingSteps)
        }
        let elapsed = Self.seconds(ContinuousClock.now - started)
        let eta = elapsed / progress - elapsed
        return [
            "progress": .double(min(progress, 1)), "eta_relative": .double(eta), "state": dictionary,
            "current_image": .optional(currentImage), "textinfo": nil, "current_task": .optional(currentTask),
        ]
    }

    /// The fraction `/internal/progress` reports (no 0.01 offset).
    var taskProgress: Double {
        var progress = 0.0
        if jobCount > 0 { progress += Double(jobNumber) / Double(jobCount) }
        if samplingSteps > 0, jobCount > 0 {
            progress += 1 / Double(jobCount) * Double(samplingStep) / Double(samplingSteps)
        }
        return min(progress, 1)
    }

    var elapsedSeconds: Double { Self.seconds(ContinuousClock.now - started) }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
