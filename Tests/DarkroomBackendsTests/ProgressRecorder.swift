import DarkroomCore

/// Collects the progress a backend reports, in the order it arrives.
actor ProgressRecorder {
    private(set) var reports: [JobProgress] = []

    func record(_ progress: JobProgress) {
        reports.append(progress)
    }

    var steps: [Int] { reports.map(\.step) }
}
