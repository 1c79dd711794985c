import DarkroomCore
import Foundation
import Synchronization

/// Fans each changed job out to its subscribers, in process: whole jobs to the streams of every job
/// (``subscribe()``) and to those of that one job (``subscribe(to:)``), and only the new state to
/// ``subscribeStates()``'s streams.
///
/// A stream of one job hears nothing of the others, so a change costs one wake-up per stream that wants it, not
/// one per open stream. A subscriber that falls more than ``bufferSize`` changes behind loses the oldest ones;
/// consumers treat the feed as a hint and re-read the store when they need the truth.
public final class JobChangeFeed: Sendable {
    public static let bufferSize = 4_096
    private let jobs = Subscribers<Job> { $0.id }
    private let states = Subscribers<JobStateChange> { $0.id }

    public init() {}

    /// A stream of every change published from now on; it ends when the consumer stops iterating.
    public func subscribe() -> AsyncStream<Job> { jobs.subscribe(to: nil) }

    /// A stream of the changes of job `id` published from now on; it ends when the consumer stops iterating.
    public func subscribe(to id: JobID) -> AsyncStream<Job> { jobs.subscribe(to: id) }

    /// A stream of the state of each change published from now on; it ends when the consumer stops iterating.
    public func subscribeStates() -> AsyncStream<JobStateChange> { states.subscribe(to: nil) }

    /// Whether a stream of whole jobs wants job `id`'s changes: when none does, a change known only by its state
    /// need not be read.
    public func wantsWhole(_ id: JobID) -> Bool { jobs.isWatched(id) }

    /// Sends `changed` to every subscriber that wants them, of either kind.
    public func publish(_ changed: [Job]) {
        guard !changed.isEmpty else { return }
        jobs.yield(changed)
        states.yield(changed.map(JobStateChange.init))
    }

    /// Sends changes known only by their states to the subscribers of states.
    public func publish(_ changed: [JobStateChange]) {
        states.yield(changed)
    }

    /// Sends whole jobs to the subscribers of whole jobs only (their states were published already).
    public func publishWhole(_ changed: [Job]) {
        jobs.yield(changed)
    }
}

/// The open streams of one kind of change: those of every job (filed under `nil`) and those of one job each.
private final class Subscribers<Element: Sendable>: Sendable {
    private typealias Streams = [UUID: AsyncStream<Element>.Continuation]
    private let streams = Mutex<[JobID?: Streams]>([:])
    private let id: @Sendable (Element) -> JobID

    init(id: @escaping @Sendable (Element) -> JobID) {
        self.id = id
    }

    func subscribe(to job: JobID?) -> AsyncStream<Element> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: Element.self, bufferingPolicy: .bufferingNewest(JobChangeFeed.bufferSize))
        let key = UUID()
        continuation.onTermination = { [weak self] _ in
            self?.streams.withLock { streams in
                streams[job]?[key] = nil
                if streams[job]?.isEmpty == true { streams[job] = nil }
            }
        }
        streams.withLock { $0[job, default: [:]][key] = continuation }
        return stream
    }

    func isWatched(_ job: JobID) -> Bool {
        streams.withLock { $0[nil] != nil || $0[job] != nil }
    }

    func yield(_ elements: [Element]) {
        guard !elements.isEmpty else { return }
        let deliveries = streams.withLock { streams in
            let everything = streams[nil].map { Array($0.values) } ?? []
            return elements.map { element in
                (element, everything + (streams[id(element)].map { Array($0.values) } ?? []))
            }
        }
        for (element, targets) in deliveries {
            for continuation in targets { continuation.yield(element) }
        }
    }
}
