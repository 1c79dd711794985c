import DarkroomCore
import DarkroomStore
import DarkroomWire
import Foundation
import Hummingbird
import Logging
import NIOCore

extension WebUIRoutes {
    /// How long a txt2img call waits for its job before answering 504 (the job itself carries on). Just under
    /// the hour the shipped proxies allow, so the answer comes from here rather than from a proxy hanging up.
    static let waitLimit: Duration = .seconds(3_540)

    /// `POST /sdapi/v1/txt2img`: validate like WebUI, enqueue, wait for the job, answer like WebUI.
    ///
    /// A client that goes away while its job is still queued cancels it; a running job finishes (and its
    /// image stays available at `/v1/jobs/{id}`).
    func txt2img(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = WebUICallers.key(of: request, context: context)
        let principal = context.identity ?? .nobody
        let body = try await request.body.collect(upTo: gateway.configuration.maxBodyBytes)
        let parsed: Txt2ImgRequest
        let scheduler: String
        let generation: GenerationRequest
        do throws(A1111Error) {
            parsed = try Txt2ImgRequest.decode(Array(body.readableBytesView), isJSONContent: request.hasFastAPIJSONBody)
            let sampler: String
            (sampler, scheduler) = try A1111Samplers.resolve(
                sampler: parsed.requestedSampler, scheduler: parsed.scheduler)
            let draft = parsed.draft(sampler: sampler, model: await callers.model(of: caller))
            do {
                generation = try draft.validated(defaults: gateway.configuration.defaults) {
                    Int64.random(in: GenerationLimits.seed)
                }
            } catch {
                throw A1111Error(error)
            }
        } catch {
            return error.response
        }
        ignored.note(parsed.unknownFields, route: "txt2img")
        if let refusal = try await refusal(tenant: principal.tenant) { return refusal }

        // Watching before the job exists: a client that hangs up once it sees its job queued cannot beat the watch.
        let hangUp = await HangUpWatch.start(on: context.channel)
        defer { hangUp?.stop() }
        let id = JobID.generate(now: Date())
        let changes = gateway.changes(of: id)
        let job = try await gateway.submit(
            EnqueueParams(
                id: id, tenant: principal.tenant, request: generation,
                maxAttempts: gateway.configuration.maxAttempts,
                metadataJSON: #"{"api":"sdapi/v1"}"#,
                deadline: gateway.configuration.defaultDeadline.map { Date().addingTimeInterval($0.seconds) }),
            api: "sdapi/v1")
        await callers.started(job.id, by: caller)
        let outcome = await waitOrHangUp(job.id, changes: changes, hangUp: hangUp)
        await callers.ended(job.id, by: caller)

        switch outcome {
        case .finished(let finished):
            return try answer(finished, request: parsed, scheduler: scheduler)
        case .hungUp:
            _ = try? await gateway.cancel(
                job.id, by: principal, runningToo: false, reason: "its /sdapi/v1 caller went away")
            return .json(nil, status: .badRequest, style: .compact)
        case .timedOut:
            return A1111Error.http(
                status: .gatewayTimeout,
                detail:
                    "job \(job.id) did not finish within \(Int(Self.waitLimit.seconds)) s; follow it at /v1/jobs/\(job.id)"
            ).response
        }
    }

    /// A 429 in WebUI's shape, with `Retry-After`, when the tenant is past its own limits (``TenantAdmission``) or
    /// the call would wait past `--webui-max-wait` for its turn: its caller waits on the connection, and a proxy
    /// would cut it before the image came.
    private func refusal(tenant: String) async throws -> Response? {
        do {
            try await gateway.admit(tenant: tenant)
            _ = try await gateway.admit(
                priority: Priority.default, deadline: nil, now: Date(),
                maxWaitSeconds: gateway.configuration.webuiMaxWaitSeconds)
            return nil
        } catch let problem as Problem where problem.status == .tooManyRequests {
            var response = A1111Error.http(status: .tooManyRequests, detail: problem.detail).response
            response.headers.append(contentsOf: problem.headers)
            if let seconds = problem.retryAfterSeconds { response.headers[.retryAfter] = "\(seconds)" }
            return response
        }
    }

    private enum Outcome: Sendable {
        case finished(Job)
        case hungUp
        case timedOut
    }

    /// Waits for the job to end, for the client to go away, or for ``waitLimit``, whichever comes first.
    private func waitOrHangUp(_ id: JobID, changes: AsyncStream<Job>, hangUp: HangUpWatch?) async -> Outcome {
        // No watch: the client was gone before its job was submitted.
        guard let hangUp else { return .hungUp }
        let updates = gateway.updates
        return await withTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                await updates.finished(id, changes: changes, within: Self.waitLimit).map(Outcome.finished) ?? .timedOut
            }
            group.addTask {
                await hangUp.wait()
                return Task.isCancelled ? nil : .hungUp
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .timedOut
        }
    }

    /// WebUI's answer for a finished job: its PNGs in base64, the request echoed, and the `info` JSON string.
    /// A job interrupted (canceled) answers 200 with no images, as WebUI does; a failed or expired job answers 502
    /// in WebUI's exception shape, with Darkroom's failure code.
    private func answer(_ job: Job, request: Txt2ImgRequest, scheduler: String) throws -> Response {
        switch job.state {
        case .failed, .expired:
            let failure = job.failure ?? JobFailure(code: "failed", message: "the job failed")
            return .json(
                [
                    "error": "JobFailed", "detail": .string(failure.message), "body": "",
                    "errors": .string("\(failure.code): \(failure.message)"),
                ], status: .badGateway, style: .compact)
        case .succeeded, .canceled, .queued, .running:
            var images: [JSONValue] = []
            if request.sendImages {
                for image in job.images {
                    guard let data = gateway.images.read(name: image.name) else {
                        throw Problem(.notFound, .imageNotFound, detail: "image \(image.name) of job \(job.id) is gone")
                    }
                    images.append(.string(data.base64EncodedString()))
                }
            }
            return .json(
                [
                    "images": .array(images), "parameters": .object(request.parameters),
                    "info": .string(info(job, request, scheduler: scheduler)),
                ],
                style: .compact)
        }
    }

    /// WebUI's `info` JSON for the finished job; `scheduler` is the label the request's sampler resolved to.
    private func info(_ job: Job, _ request: Txt2ImgRequest, scheduler: String) -> String {
        let seeds = job.images.isEmpty ? [job.request.seed] : job.images.map(\.seed)
        return A1111Info(
            request: request, sampler: job.request.sampler, scheduler: scheduler, seeds: seeds, subseeds: seeds,
            width: job.request.width, height: job.request.height,
            loras: job.request.loras.map { .init(name: $0.name, shorthash: nil) },
            checkpoint: .init(name: job.request.model, shorthash: nil),
            jobTimestamp: WebUIProgress.timestamp(job.startedAt ?? job.createdAt)
        ).json
    }
}
