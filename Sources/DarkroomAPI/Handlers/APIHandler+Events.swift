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

    private func follow(
        _ initial: Job, changes: AsyncStream<Job>, into events: AsyncStream<ServerSentEvent>.Continuation
    ) async {
        defer { events.finish() }
        var last = initial
        events.yield(await stateEvent(initial))
        if initial.state == .running, initial.progress.step > 0 { events.yield(progressEvent(initial)) }
        guard !initial.state.isTerminal else { return }
        for await job in updates.stream(of: initial.id, changes: changes) {
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

    private func progressEvent(_ job: Job) -> ServerSentEvent {
        ServerSentEvent(event: "progress", data: #"{"step":\#(job.progress.step),"steps":\#(job.progress.steps)}"#)
    }

    private func stateEvent(_ job: Job) async -> ServerSentEvent {
        let schema = (try? await schema(for: job)) ?? Components.Schemas.Job(job)
        let data = (try? DarkroomHTTP.jsonEncoder().encode(schema)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return ServerSentEvent(event: "state", data: data)
    }
}
