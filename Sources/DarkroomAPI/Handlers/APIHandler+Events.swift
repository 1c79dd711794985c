import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Server-sent events for one job: `progress` while it runs, `state` on every state change,
/// and the end of the stream after the terminal state.
extension APIHandler {
    func streamJobEvents(_ input: Operations.StreamJobEvents.Input) async throws -> Operations.StreamJobEvents.Output {
        guard let id = JobID(parsing: input.path.id) else {
            return .notFound(Problem.jobNotFound(input.path.id).response)
        }
        // Subscribe before reading, so no change between the read and the subscription is missed.
        let changes = store.changes()
        guard let current = try await store.job(id: id) else {
            return .notFound(Problem.jobNotFound(input.path.id).response)
        }
        let (events, continuation) = AsyncStream.makeStream(of: ServerSentEvent.self)
        let task = Task { await follow(current, changes: changes, into: continuation) }
        continuation.onTermination = { _ in task.cancel() }
        let body = HTTPBody(events.asEncodedServerSentEvents(), length: .unknown, iterationBehavior: .single)
        return .ok(.init(body: .textEventStream(body)))
    }

    private func follow(_ initial: Job, changes: AsyncStream<Job>, into events: AsyncStream<ServerSentEvent>.Continuation) async {
        defer { events.finish() }
        var last = initial
        events.yield(await stateEvent(initial))
        if initial.state == .running, initial.progress.step > 0 { events.yield(progressEvent(initial)) }
        guard !initial.state.isTerminal else { return }
        for await job in updates(of: initial.id, changes: changes) {
            if job.state == .running, job.progress.step > 0,
                job.progress.step > last.progress.step || job.state != last.state
            {
                events.yield(progressEvent(job))
            }
            if job.state != last.state { events.yield(await stateEvent(job)) }
            last = job
            if job.state.isTerminal { return }
        }
    }

    /// The job's changes from the feed, plus a slow re-read of the store as a fallback: the feed is a hint
    /// that can drop changes (a slow consumer, a lost notification), the row is the truth. Polled snapshots
    /// only ever move the stream forward (a terminal state, or more steps in the same state).
    private func updates(of id: JobID, changes: AsyncStream<Job>) -> AsyncStream<Job> {
        let (stream, continuation) = AsyncStream.makeStream(of: Job.self)
        let store = self.store
        let interval = configuration.eventPollInterval
        let forward = Task {
            for await job in changes where job.id == id { continuation.yield(job) }
            continuation.finish()
        }
        let poll = Task {
            var newest: Job?
            while (try? await Task.sleep(for: interval)) != nil {
                guard let job = try? await store.job(id: id) else { continue }
                if job.state.isTerminal || (job.state == newest?.state && job.progress.step > newest?.progress.step ?? 0) {
                    continuation.yield(job)
                }
                newest = job
            }
        }
        continuation.onTermination = { _ in
            forward.cancel()
            poll.cancel()
        }
        return stream
    }

    private func progressEvent(_ job: Job) -> ServerSentEvent {
        ServerSentEvent(event: "progress", data: #"{"step":\#(job.progress.step),"steps":\#(job.progress.steps)}"#)
    }

    private func stateEvent(_ job: Job) async -> ServerSentEvent {
        let schema = (try? await schema(for: job)) ?? Components.Schemas.Job(job)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(try DarkroomHTTP.openAPIConfiguration.dateTranscoder.encode(date))
        }
        let data = (try? encoder.encode(schema)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return ServerSentEvent(event: "state", data: data)
    }
}
