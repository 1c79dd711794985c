import DarkroomWire
import Foundation
import Synchronization

/// When the simulated GPU was busy: one interval per request, from the moment it takes the GPU until its images
/// are encoded (PNG and, for A1111, base64), as a real server's own accounting counts it.
///
/// Served at `GET /internal/gpu-stats` (and `/internal/seedstack-stats`, the route the GPU end-to-end script
/// reads from its real-GPU server), so a benchmark can tell the server's own time from everything around it:
/// the idle gap between consecutive jobs is the next interval's start minus the last one's end.
final class BusyLog: Sendable {
    private struct State {
        var served = 0
        var busySeconds = 0.0
        var intervals: [(start: Double, end: Double)] = []
    }

    /// The most recent intervals kept.
    static let capacity = 10_000
    private let state = Mutex(State())

    /// Records one request's busy interval (Unix seconds).
    func record(start: Date, end: Date) {
        state.withLock { state in
            state.served += 1
            state.busySeconds += end.timeIntervalSince(start)
            if state.intervals.count >= Self.capacity { state.intervals.removeFirst(Self.capacity / 10) }
            state.intervals.append((start.timeIntervalSince1970, end.timeIntervalSince1970))
        }
    }

    /// `{"served", "busy_s", "busy_intervals": [[start, end], …]}`, times in Unix seconds.
    var json: JSONValue {
        state.withLock { state in
            [
                "served": .int(Int64(state.served)), "busy_s": .double(state.busySeconds),
                "busy_intervals": .array(state.intervals.map { .array([.double($0.start), .double($0.end)]) }),
            ]
        }
    }
}
