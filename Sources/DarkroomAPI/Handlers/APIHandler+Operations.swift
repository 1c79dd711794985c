import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import OpenAPIRuntime
import Prometheus

/// The queue's figures, health and readiness, metrics, and the OpenAPI document itself.
extension APIHandler {
    func getQueue(_ input: Operations.GetQueue.Input) async throws -> Operations.GetQueue.Output {
        let stats = try await figures.stats()
        let capacity = await capacity.capacity()
        let backends = await self.capacity.backends().map(Components.Schemas.BackendStatus.init)
        let predictions = try await gateway.predictions().map { priority, forecast in
            Components.Schemas.QueuePrediction(
                priority: priority, predictedWaitSeconds: forecast.startSeconds,
                predictedFinishSeconds: forecast.finishSeconds)
        }
        let depths = stats.queuedByPriority.sorted { $0.key > $1.key }.map { priority, queued in
            Components.Schemas.QueueDepth(priority: priority, queued: queued)
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        backends: backends, queued: stats.count(.queued), running: stats.count(.running),
                        slots: capacity.slots, busySlots: capacity.busySlots,
                        completedPerSecond: figures.throughput(stats),
                        meanServiceSeconds: stats.recentMeanServiceSeconds,
                        completionsPerMinute: figures.history.recent().map {
                            Components.Schemas.CompletionSample(at: $0.at, perMinute: $0.perMinute)
                        },
                        queuedByPriority: depths,
                        predictions: predictions
                    ))))
    }

    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        .ok(.init(body: .json(.init(status: "ok"))))
    }

    func getReadiness(_ input: Operations.GetReadiness.Input) async throws -> Operations.GetReadiness.Output {
        do {
            try await gateway.checkStore()
        } catch {
            return .serviceUnavailable(
                Problem(.serviceUnavailable, .notReady, detail: "the job store is unreachable").response)
        }
        guard await capacity.capacity().slots > 0 else {
            return .serviceUnavailable(
                Problem(.serviceUnavailable, .notReady, detail: "no GPU slots are configured").response)
        }
        return .ok(.init(body: .json(.init(status: "ready"))))
    }

    func getMetrics(_ input: Operations.GetMetrics.Input) async throws -> Operations.GetMetrics.Output {
        let stats = try await figures.stats()
        let capacity = await capacity.capacity()
        metrics.refresh(stats: stats, capacity: capacity, demand: demand(stats, capacity))
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return .ok(.init(body: .plainText(HTTPBody(buffer))))
    }

    func getInternalStats(_ input: Operations.GetInternalStats.Input) async throws -> Operations.GetInternalStats.Output
    {
        let stats = try await figures.stats()
        let capacity = await capacity.capacity()
        let finished = stats.recentSucceeded + stats.recentFailed
        let memory = await self.capacity.backends().gpuMemoryTotals
        return .ok(
            .init(
                body: .json(
                    .init(
                        qps: figures.throughput(stats), meanLatencySeconds: stats.recentMeanLatencySeconds,
                        queueBacklog: stats.count(.queued), running: stats.count(.running),
                        errorRate: finished == 0 ? 0 : Double(stats.recentFailed) / Double(finished),
                        busySlots: capacity.busySlots, slots: capacity.slots,
                        submittedTotal: stats.counts.values.reduce(0, +), succeededTotal: stats.count(.succeeded),
                        failedTotal: stats.count(.failed), canceledTotal: stats.count(.canceled),
                        desiredWorkers: demand(stats, capacity).desiredWorkers,
                        gpuMemoryUsedBytes: memory?.usedBytes, gpuMemoryTotalBytes: memory?.totalBytes,
                        gpuMemoryUsedRatio: memory.map { Double($0.usedBytes) / Double($0.totalBytes) }))))
    }

    /// The autoscaling signal from the queue's figures and the configured latency target.
    private func demand(_ stats: StoreStats, _ capacity: Capacity) -> WorkerDemand {
        WorkerDemand(
            queued: stats.count(.queued), running: stats.count(.running), completedPerSecond: figures.throughput(stats),
            meanServiceSeconds: stats.recentMeanServiceSeconds,
            latencyTargetSeconds: configuration.latencyTargetSeconds, capacity: capacity,
            refusedPerSecond: gateway.refusals.perSecond())
    }

    func getOpenAPIDocument(_ input: Operations.GetOpenAPIDocument.Input) async throws
        -> Operations.GetOpenAPIDocument.Output
    {
        .ok(.init(body: .yaml(HTTPBody(try OpenAPIDocument.bytes()))))
    }

    func getImage(_ input: Operations.GetImage.Input) async throws -> Operations.GetImage.Output {
        guard try await gateway.imageIsVisible(named: input.path.name, to: Principal.current),
            let data = gateway.images.read(name: input.path.name)
        else {
            return .notFound(
                Problem(.notFound, .imageNotFound, detail: "no image is named \(input.path.name)").response)
        }
        return .ok(.init(body: .png(HTTPBody(data))))
    }
}

/// The OpenAPI document the server was generated from, shipped as a resource of this module.
enum OpenAPIDocument {
    static func bytes() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Data(contentsOf: url)
    }
}
