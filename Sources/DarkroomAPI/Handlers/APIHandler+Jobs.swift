import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import Logging
import OpenAPIRuntime

/// Submitting, reading, listing and canceling jobs.
extension APIHandler {
    func createJob(_ input: Operations.CreateJob.Input) async throws -> Operations.CreateJob.Output {
        let tenant = Principal.current.tenant
        guard case .json(let body) = input.body else {
            throw Problem(.badRequest, .malformedJSON, detail: "expected JSON")
        }
        let request: GenerationRequest
        let priority: Int
        do {
            request = try body.draft.validated(defaults: configuration.defaults) {
                Int64.random(in: GenerationLimits.seed)
            }
            priority = try Priority.validated(body.priority)
        } catch {
            return .unprocessableContent(Problem(error).response)
        }
        let idempotency: IdempotencyKey?
        let webhook: WebhookSubscription?
        let deadline: Date?
        let accepted = Date()
        do {
            idempotency = try input.headers.idempotencyKey.map { try IdempotencyKey(header: $0, body: body) }
            webhook = try body.webhookSubscription(configuration.webhooks)
            deadline = try DeadlineRequest.deadline(
                body: body.deadlineSeconds, header: input.headers.requestTimeout,
                default: configuration.defaultDeadline, accepted: accepted)
        } catch let problem as Problem {
            return .unprocessableContent(problem.response)
        }
        // Refused here, before anything is committed, past the tenant's limits or if it cannot finish in time; a
        // repeat of a submit that created its job is not judged again. A refused client with an Idempotency-Key
        // keeps its place.
        let forecast: AdmissionForecast?
        do {
            if let idempotency, try await gateway.job(named: idempotency, tenant: tenant) != nil {
                forecast = nil
            } else {
                try await gateway.admit(tenant: tenant)
                forecast = try await gateway.admit(
                    priority: priority, deadline: deadline, now: accepted,
                    key: idempotency.map { Gateway.heldPlace(of: $0, tenant: tenant) })
            }
        } catch let error as JobStoreError {
            guard case .idempotencyKeyReused = error else { throw error }
            return .unprocessableContent(Problem(error).response)
        }
        let wait = WaitPreference(header: input.headers.prefer)
        let id = JobID.generate(now: Date())
        // Subscribe before the job exists, so a job that finishes at once is not missed.
        var changes = wait.map { _ in gateway.changes(of: id) }
        let job: Job
        do {
            job = try await gateway.submit(
                EnqueueParams(
                    id: id, tenant: tenant, priority: priority, request: request,
                    maxAttempts: configuration.maxAttempts,
                    metadataJSON: try body.metadataJSON(), idempotency: idempotency, webhook: webhook,
                    deadline: deadline),
                api: "v1")
        } catch let error as JobStoreError {
            guard case .idempotencyKeyReused = error else { throw error }
            return .unprocessableContent(Problem(error).response)
        }
        let isRepeat = job.id != id
        var answer = job
        if isRepeat, wait != nil, !job.state.isTerminal {
            // The key named an earlier job: follow that one, from a read after subscribing.
            changes = gateway.changes(of: job.id)
            answer = (try? await gateway.job(id: job.id)).flatMap { $0 } ?? job
        }
        if let wait, let changes, !answer.state.isTerminal {
            if let finished = await gateway.updates.finished(job.id, changes: changes, within: wait.duration) {
                answer = finished
            } else {
                // The job is committed: a store that stops answering now costs the fresher read, not the 202.
                answer = (try? await gateway.job(id: job.id)).flatMap { $0 } ?? job
            }
        }
        let location = "/v1/jobs/\(job.id)"
        let applied = wait?.applied
        var described = await schemaAfterCommit(for: answer)
        if !isRepeat, let forecast {
            described.estimatedStartAt = accepted.addingTimeInterval(forecast.startSeconds)
            described.estimatedFinishAt = accepted.addingTimeInterval(forecast.finishSeconds)
        }
        if isRepeat || answer.state.isTerminal {
            return .ok(.init(headers: .init(location: location, preferenceApplied: applied), body: .json(described)))
        }
        return .accepted(
            .init(headers: .init(location: location, preferenceApplied: applied), body: .json(described)))
    }

    func getJob(_ input: Operations.GetJob.Input) async throws -> Operations.GetJob.Output {
        guard let id = JobID(parsing: input.path.id),
            let job = try await gateway.job(id: id, visibleTo: Principal.current)
        else {
            return .notFound(Problem.jobNotFound(input.path.id).response)
        }
        return .ok(.init(body: .json(try await schema(for: job))))
    }

    func listJobs(_ input: Operations.ListJobs.Input) async throws -> Operations.ListJobs.Output {
        let limit = input.query.limit ?? 50
        guard (1...500).contains(limit) else {
            return .unprocessableContent(
                Problem(.unprocessableContent, .invalidParameter, detail: "limit must be within 1…500", field: "limit")
                    .response)
        }
        var cursor: JobID?
        if let text = input.query.cursor {
            guard let parsed = JobID(parsing: text) else {
                return .badRequest(
                    Problem(.badRequest, .invalidParameter, detail: "cursor is not valid", field: "cursor").response)
            }
            cursor = parsed
        }
        let page = try await gateway.list(
            ListParams(
                state: input.query.state.map(JobState.init), tenant: Principal.current.listedTenant, limit: limit,
                cursor: cursor))
        var jobs: [Components.Schemas.Job] = []
        for job in page.jobs { jobs.append(try await schema(for: job)) }
        return .ok(.init(body: .json(.init(jobs: jobs, nextCursor: page.nextCursor?.rawValue))))
    }

    func cancelJob(_ input: Operations.CancelJob.Input) async throws -> Operations.CancelJob.Output {
        guard let id = JobID(parsing: input.path.id) else {
            return .notFound(Problem.jobNotFound(input.path.id).response)
        }
        do {
            let job = try await gateway.cancel(
                id, by: Principal.current, runningToo: true, reason: "POST /v1/jobs/{id}/cancel")
            return .ok(.init(body: .json(Components.Schemas.Job(job))))
        } catch let error as JobStoreError {
            switch error {
            case .notFound: return .notFound(Problem(error).response)
            case .conflict, .leaseLost: return .conflict(Problem(error).response)
            case .unavailable, .idempotencyKeyReused: throw error
            }
        }
    }

    func deleteJob(_ input: Operations.DeleteJob.Input) async throws -> Operations.DeleteJob.Output {
        guard let id = JobID(parsing: input.path.id) else {
            return .notFound(Problem.jobNotFound(input.path.id).response)
        }
        do {
            try await gateway.delete(id, by: Principal.current)
            return .noContent(.init())
        } catch let error as JobStoreError {
            switch error {
            case .notFound: return .notFound(Problem(error).response)
            case .conflict, .leaseLost: return .conflict(Problem(error).response)
            case .unavailable, .idempotencyKeyReused: throw error
            }
        }
    }
}
