import Foundation
import Synchronization

/// Completions per minute over the last 15 minutes, as this gateway read them: the last reading of each wall-clock
/// minute (jobs finished over the minute before it), so every page that asks sees the same line, a reload
/// included. Readings happen whenever the queue's figures are read (the Queue view, `/metrics` scrapes,
/// admission); a minute nobody asked in has no sample. A restarted gateway starts a new history.
final class CompletionHistory: Sendable {
    /// One minute's sample.
    struct Sample: Sendable, Equatable {
        /// When it was read.
        var at: Date
        /// Jobs finished in the minute before `at`.
        var perMinute: Double
    }

    /// Minutes kept.
    static let minutes = 15

    private let samples = Mutex<[Sample]>([])

    /// Records a reading of `perMinute` made at `date`; it replaces an earlier reading of the same minute.
    func record(perMinute: Double, at date: Date) {
        samples.withLock { samples in
            if let last = samples.last, Self.minute(of: last.at) == Self.minute(of: date) {
                samples[samples.count - 1] = Sample(at: date, perMinute: perMinute)
            } else {
                samples.append(Sample(at: date, perMinute: perMinute))
            }
            samples.removeAll { date.timeIntervalSince($0.at) >= Double(Self.minutes * 60) }
        }
    }

    /// The samples of the last 15 minutes before `date`, oldest first.
    func recent(at date: Date = Date()) -> [Sample] {
        samples.withLock { $0 }.filter { date.timeIntervalSince($0.at) < Double(Self.minutes * 60) }
    }

    private static func minute(of date: Date) -> Int { Int((date.timeIntervalSince1970 / 60).rounded(.down)) }
}
