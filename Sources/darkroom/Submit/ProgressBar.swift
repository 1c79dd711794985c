import DarkroomClient
import Foundation

/// A one-line progress display on standard error: queue position while waiting, steps while running.
struct ProgressBar {
    private let width = 30

    func show(_ job: JobSnapshot) {
        let line: String
        switch job.state {
        case "queued":
            let wait = job.estimatedWaitSeconds.map { String(format: ", about %.1f s", $0) } ?? ""
            line = "queued   position \(job.position ?? 0)\(wait)"
        default:
            let fraction = job.steps > 0 ? Double(job.step) / Double(job.steps) : 0
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            line = "running  \(bar) \(job.step)/\(job.steps) steps"
        }
        write("\r\u{1B}[2K" + line)
    }

    func finish(_ job: JobSnapshot) {
        if job.state == "succeeded" { show(JobSnapshot.done(job)) }
        write("\n")
    }

    func clear() { write("\r\u{1B}[2K") }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

extension JobSnapshot {
    /// The snapshot drawn as a full bar.
    fileprivate static func done(_ job: JobSnapshot) -> JobSnapshot {
        var done = job
        done.state = "running"
        done.step = job.steps
        return done
    }
}
