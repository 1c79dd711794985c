import DarkroomCore
import DarkroomStore
import Foundation
import Logging
import Metrics
import OpenAPIRuntime
import Prometheus

/// Implements the generated `APIProtocol`: maps wire types to domain types and calls the store.
///
/// Thin by design: no SQL, no backend calls. Declared problems (404, 409, 422…) are returned as the
/// operation's own responses; anything thrown goes through ``ProblemMiddleware``.
struct APIHandler: APIProtocol {
    let store: any JobStore
    let images: ImageDirectory
    let capacity: any CapacitySource
    let configuration: APIConfiguration
    let figures: QueueFigures
    let metrics: APIMetrics
    let registry: PrometheusCollectorRegistry
    let logger: Logger

    /// Follows jobs through the store's change feed, re-reading the store as often as events do.
    var updates: JobUpdates { JobUpdates(store: store, pollInterval: configuration.eventPollInterval) }

    /// Where a queued job stands: jobs ahead of it and the expected wait; `nil`s for other states.
    func queuePlace(of job: Job) async throws -> (position: Int?, wait: Double?) {
        guard job.state == .queued else { return (nil, nil) }
        // A slot may claim the job between the read and this query: then nothing was ahead of it.
        let limit = configuration.exactPositionLimit
        guard let counted = try await store.position(of: job.id, countingAtMost: limit) else { return (0, 0) }
        let stats = try await figures.stats()
        // Past the limit: every other queued job, as of the (cached) statistics, is taken to be ahead.
        let position =
            counted < limit ? counted : max(counted, (stats.counts[.queued] ?? 0) - 1)
        let wait = WaitEstimate.seconds(
            position: position, capacity: await capacity.capacity(),
            meanServiceSeconds: stats.recentMeanServiceSeconds)
        return (position, wait)
    }

    /// The wire form of a job, with its queue place when queued.
    func schema(for job: Job) async throws -> Components.Schemas.Job {
        let place = try await queuePlace(of: job)
        return Components.Schemas.Job(job, position: place.position, estimatedWaitSeconds: place.wait)
    }
}
