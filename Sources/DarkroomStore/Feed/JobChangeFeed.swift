import DarkroomCore
import Foundation
import Synchronization

/// Fans each changed job out to every current subscriber, in process.
///
/// A subscriber that falls more than ``bufferSize`` changes behind loses the oldest ones; consumers treat
/// the feed as a hint and re-read the store when they need the truth.
public final class JobChangeFeed: Sendable {
    public static let bufferSize = 4_096
    private let continuations = Mutex<[UUID: AsyncStream<Job>.Continuation]>([:])

    public init() {}

    /// A stream of changes published from now on; it ends when the consumer stops iterating.
    public func subscribe() -> AsyncStream<Job> {
        let (stream, continuation) = AsyncStream.makeStream(of: Job.self, bufferingPolicy: .bufferingNewest(Self.bufferSize))
        let key = UUID()
        continuation.onTermination = { [weak self] _ in
            _ = self?.continuations.withLock { $0.removeValue(forKey: key) }
        }
        continuations.withLock { $0[key] = continuation }
        return stream
    }

    /// Sends `jobs` to every subscriber.
    public func publish(_ jobs: [Job]) {
        guard !jobs.isEmpty else { return }
        let targets = continuations.withLock { Array($0.values) }
        for continuation in targets {
            for job in jobs { continuation.yield(job) }
        }
    }
}
