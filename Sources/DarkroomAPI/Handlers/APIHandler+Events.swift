import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import OpenAPIRuntime
import ServiceLifecycle

/// Server-sent events for one job (`progress` and `preview` while it runs, `state` on every state change, and the
/// end of the stream after the terminal state), and for every job of the queue the caller may see.
extension APIHandler {
    func streamJobEvents(_ input: Operations.StreamJobEvents.Input) async throws -> Operations.StreamJobEvents.Output {
        guard let id = JobID(parsing: input.path.id) else {
            return .notFound(Problem.jobNotFound(input.path.id).response)
        }
        // Subscribe before reading, so no change between the read and the subscription is missed, and no preview
        // of a step after it (the worker makes previews only for a job a stream watches).
        let changes = gateway.changes(of: id)
        let (events, continuation) = AsyncStream.makeStream(of: ServerSentEvent.self)
        let previews = gateway.previews.subscribe(.job(id)) { continuation.yield(Self.previewEvent($0)) }
        guard let current = try await gateway.job(id: id, visibleTo: Principal.current) else {
            previews.cancel()
            return .notFound(Problem.jobNotFound(input.path.id).response)
        }
        let task = Task { await follow(current, changes: changes, into: continuation) }
        continuation.onTermination = { _ in
            task.cancel()
            previews.cancel()
        }
        return .ok(.init(body: .textEventStream(events.eventStreamBody)))
    }

    /// A `preview` event: `{"id", "step", "steps", "image"}`, the image a `data:` URI.
    private static func previewEvent(_ preview: JobPreview) -> ServerSentEvent {
        ServerSentEvent(
            event: "preview",
            data: #"{"id":"\#(preview.jobID)","step":\#(preview.step),"steps":\#(preview.steps),"#
                + #""image":"\#(preview.dataURI)"}"#)
    }

    private func follow(
        _ initial: Job, changes: AsyncStream<Job>, into events: AsyncStream<ServerSentEvent>.Continuation
    ) async {
        defer { events.finish() }
        for event in await changeEvents(from: nil, to: initial, withQueuePlace: true) { events.yield(event) }
        guard !initial.state.isTerminal else { return }
        var last = initial
        for await job in gateway.updates.stream(of: initial.id, changes: changes) {
            for event in await changeEvents(from: last, to: job, withQueuePlace: true) { events.yield(event) }
            last = job
            if job.state.isTerminal { return }
        }
    }

    func streamQueueEvents(_ input: Operations.StreamQueueEvents.Input) async throws
        -> Operations.StreamQueueEvents.Output
    {
        let changes = gateway.changes()
        let principal = Principal.current
        let (events, continuation) = AsyncStream.makeStream(of: ServerSentEvent.self)
        // A stream with no end of its own: it ends with the server, so a shutdown does not wait on its clients.
        let previews = gateway.previews.subscribe(principal.seesEveryTenant ? .everyone : .tenant(principal.tenant)) {
            continuation.yield(Self.previewEvent($0))
        }
        let task = Task {
            await cancelWhenGracefulShutdown { await followQueue(changes, of: principal, into: continuation) }
        }
        continuation.onTermination = { _ in
            task.cancel()
            previews.cancel()
        }
        return .ok(.init(body: .textEventStream(events.eventStreamBody)))
    }

    /// Every job from the feed that `principal` may see, as the events of its changes; only jobs not yet finished
    /// are remembered.
    private func followQueue(
        _ changes: AsyncStream<Job>, of principal: Principal, into events: AsyncStream<ServerSentEvent>.Continuation
    ) async {
        defer { events.finish() }
        var last: [JobID: Job] = [:]
        for await job in changes where principal.canSee(job) {
            for event in await changeEvents(from: last[job.id], to: job, withQueuePlace: false) { events.yield(event) }
            last[job.id] = job.state.isTerminal ? nil : job
        }
    }

    /// The events a change of `job` makes, given the version a stream sent last (`nil`: none yet): `state` when
    /// its state is new, then `progress` when a running job advanced.
    ///
    /// - Parameter withQueuePlace: whether a queued job's `state` carries its position and expected wait (a
    ///   store read per event: for one job's stream, not for the whole queue's).
    private func changeEvents(from last: Job?, to job: Job, withQueuePlace: Bool) async -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        let stateChanged = job.state != last?.state
        if stateChanged { events.append(await stateEvent(job, withQueuePlace: withQueuePlace)) }
        if job.state == .running, job.progress.step > 0, stateChanged || job.progress.step > last?.progress.step ?? 0 {
            events.append(progressEvent(job))
        }
        return events
    }

    private func progressEvent(_ job: Job) -> ServerSentEvent {
        ServerSentEvent(
            event: "progress",
            data: #"{"id":"\#(job.id)","step":\#(job.progress.step),"steps":\#(job.progress.steps)}"#)
    }

    private func stateEvent(_ job: Job, withQueuePlace: Bool) async -> ServerSentEvent {
        let placed = withQueuePlace ? try? await schema(for: job) : nil
        let schema = placed ?? Components.Schemas.Job(job)
        return ServerSentEvent(event: "state", data: schema.eventJSON)
    }
}
