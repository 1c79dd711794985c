import DarkroomCore
import DarkroomStore
import Foundation
import Logging
import Metrics
import OpenAPIRuntime
import Prometheus

/// Implements the generated `APIProtocol`: the REST adapter over the ``Gateway``, mapping wire types to domain
/// types and back.
///
/// Thin by design: no SQL, no backend calls. Declared problems (404, 409, 422…) are returned as the
/// operation's own responses; anything thrown goes through ``ProblemMiddleware``.
struct APIHandler: APIProtocol {
    let gateway: Gateway
    let registry: PrometheusCollectorRegistry

    var configuration: APIConfiguration { gateway.configuration }
    var figures: QueueFigures { gateway.figures }
    var capacity: any CapacitySource { gateway.capacity }
    var metrics: APIMetrics { gateway.metrics }

    /// The wire form of a job, with its queue place when queued.
    func schema(for job: Job) async throws -> Components.Schemas.Job {
        let place = try await gateway.queuePlace(of: job)
        return Components.Schemas.Job(job, position: place.position, estimatedWaitSeconds: place.wait)
    }

    /// The wire form of a job just committed: with its queue place when the store tells it, otherwise without
    /// (`position` and `estimated_wait_seconds` omitted). The commit stands, so the client is owed its answer
    /// even when the store stops answering right after it (docs/api.md).
    func schemaAfterCommit(for job: Job) async -> Components.Schemas.Job {
        let place = try? await gateway.queuePlace(of: job)
        return Components.Schemas.Job(job, position: place?.position, estimatedWaitSeconds: place?.wait)
    }
}
