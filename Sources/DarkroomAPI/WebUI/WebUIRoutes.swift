import DarkroomCore
import DarkroomStore
import DarkroomWire
import Foundation
import Hummingbird
import Logging

/// The A1111 (SD WebUI) API on the gateway: `/sdapi/v1/txt2img` and the routes WebUI clients call around it,
/// in WebUI's JSON shapes, so an existing client points at Darkroom and changes nothing else.
///
/// A txt2img call becomes a queued job and the call waits for it; progress, interrupt and skip act on the
/// caller's own job (see ``WebUICallers``). docs/migrating-from-webui.md lists what differs from WebUI.
struct WebUIRoutes: Sendable {
    let gateway: Gateway
    let callers = WebUICallers()
    let ignored: IgnoredFieldLog

    init(gateway: Gateway) {
        self.gateway = gateway
        ignored = IgnoredFieldLog(logger: gateway.logger)
    }

    func register(on router: Router<GatewayRequestContext>) {
        router.post("sdapi/v1/txt2img") { request, context in try await txt2img(request, context: context) }
        router.get("sdapi/v1/progress") { request, context in
            try await progress(caller: WebUICallers.key(of: request, context: context), as: context.identity ?? .nobody)
        }
        router.post("sdapi/v1/interrupt") { request, context in
            try await stop(
                caller: WebUICallers.key(of: request, context: context), as: context.identity ?? .nobody, answer: [:])
        }
        router.post("sdapi/v1/skip") { request, context in
            try await stop(
                caller: WebUICallers.key(of: request, context: context), as: context.identity ?? .nobody, answer: nil)
        }
        router.get("sdapi/v1/options") { request, context in
            await options(caller: WebUICallers.key(of: request, context: context))
        }
        router.post("sdapi/v1/options") { request, context in try await setOptions(request, context: context) }
        router.get("sdapi/v1/sd-models") { _, _ in try await sdModels() }
        router.get("sdapi/v1/loras") { _, _ in try await loras() }
        router.get("sdapi/v1/samplers") { _, _ in Response.json(A1111Samplers.samplerListing, style: .compact) }
        router.get("sdapi/v1/schedulers") { _, _ in Response.json(A1111Samplers.schedulerListing, style: .compact) }
        router.get("sdapi/v1/scripts") { _, _ in Response.json(["txt2img": [], "img2img": []], style: .compact) }
        router.get("sdapi/v1/memory") { _, _ in try await memory() }
        router.get("internal/ping") { _, _ in Response.json([:], style: .compact) }
    }

    /// `GET /sdapi/v1/progress`: the caller's most recent job in flight, else the newest running job of the
    /// caller's tenant (of the whole farm with authentication off), else a queued one, else idle.
    private func progress(caller: String, as principal: Principal) async throws -> Response {
        var job: Job?
        if let id = await callers.latestJob(of: caller) { job = try await gateway.job(id: id, visibleTo: principal) }
        let tenant = principal.listedTenant
        if job == nil { job = try await gateway.list(ListParams(state: .running, tenant: tenant, limit: 1)).jobs.first }
        if job == nil { job = try await gateway.list(ListParams(state: .queued, tenant: tenant, limit: 1)).jobs.first }
        guard let job else { return .json(WebUIProgress.idle, style: .compact) }
        var wait: Double?
        if job.state == .queued {
            let place = try await gateway.queuePlace(of: job)
            let service = try await gateway.figures.stats().recentMeanServiceSeconds
            wait = (place.wait ?? 0) + service
        }
        return .json(WebUIProgress.report(job, queuedWait: wait), style: .compact)
    }

    /// `POST /sdapi/v1/interrupt` and `/skip`: cancel the caller's most recent job (its call answers with the
    /// images made so far: none). A caller with no job in flight changes nothing; other callers' jobs are
    /// never touched.
    private func stop(caller: String, as principal: Principal, answer: JSONValue) async throws -> Response {
        if let id = await callers.latestJob(of: caller) {
            _ = try? await gateway.cancel(id, by: principal, runningToo: true, reason: "/sdapi/v1 interrupt")
        }
        return .json(answer, style: .compact)
    }
}
