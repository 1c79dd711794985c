import DarkroomCore
import Hummingbird
import Metrics
import Synchronization

/// Counts requests by route, method and status, and times them by route and method.
///
/// The route is the matched path pattern (`/v1/jobs/{id}`), never the raw path, so label values stay bounded.
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let factory: any MetricsFactory
    private let counters = CounterCache()

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            record(request, context: context, status: (error as? any HTTPResponseError)?.status.code ?? 500, start: start)
            throw error
        }
        record(request, context: context, status: response.status.code, start: start)
        return response
    }

    private func record(_ request: Request, context: Context, status: Int, start: ContinuousClock.Instant) {
        let route = context.endpointPath ?? "unmatched"
        let method = request.method.rawValue
        let key = "\(route) \(method) \(status)"
        let counter = counters.cache.withLock { cache in
            if let counter = cache[key] { return counter }
            let counter = Counter(
                label: MetricNames.httpRequests,
                dimensions: [
                    (MetricNames.Label.route, route), (MetricNames.Label.method, method),
                    (MetricNames.Label.status, "\(status)"),
                ],
                factory: factory)
            cache[key] = counter
            return counter
        }
        counter.increment()
        Metrics.Timer(
            label: MetricNames.httpRequestDuration,
            dimensions: [(MetricNames.Label.route, route), (MetricNames.Label.method, method)], factory: factory
        ).recordSeconds((ContinuousClock.now - start).seconds)
    }
}

/// Counters by label set, created once each.
final class CounterCache: Sendable {
    let cache = Mutex<[String: Counter]>([:])
}
