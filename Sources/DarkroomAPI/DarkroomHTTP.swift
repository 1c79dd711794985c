import DarkroomCore
import DarkroomStore
import Foundation
import Hummingbird
import Logging
import Metrics
import OpenAPIHummingbird
import OpenAPIRuntime
import Prometheus

/// The HTTP face of Darkroom: builds the router with every `/v1` route, health, metrics, the spec, the
/// A1111-compatible `/sdapi/v1` routes and the Studio page at `/`.
///
/// Middleware order, outermost first: HTTP metrics, problem+json for router errors and the body limit, the
/// Content-Security-Policy, the Studio page's files (for paths no route answers), authentication
/// (``AuthenticationGate``), then the generated routes with ``ProblemMiddleware`` inside.
public struct DarkroomHTTP: Sendable {
    private let handler: APIHandler
    private let metricsFactory: any MetricsFactory
    private let maxBodyBytes: Int
    private let gate: AuthenticationGate
    private let logger: Logger

    /// - Parameters:
    ///   - store: the jobs; `outbox`, their webhook deliveries (both usually one store).
    ///   - capacity: where the busy and total slot counts come from (the worker pool in embedded mode).
    ///   - previews: where running jobs' previews come from (the worker pool's channel in embedded mode).
    ///   - tenants: where API keys are checked (``APIConfiguration/requiresKeys``).
    ///   - registry: the Prometheus registry `/metrics` prints; `metricsFactory` should write into it.
    public init(
        store: any JobQueue, outbox: any WebhookOutbox, tenants: any TenantDirectory, images: ImageDirectory,
        capacity: any CapacitySource, previews: any PreviewChannel = NoPreviews(),
        configuration: APIConfiguration,
        registry: PrometheusCollectorRegistry, metricsFactory: any MetricsFactory, logger: Logger
    ) {
        let gateway = Gateway(
            store: store, outbox: outbox, images: images, capacity: capacity, configuration: configuration,
            figures: QueueFigures(
                store: store, recentWindow: configuration.recentWindow, cacheDuration: configuration.statsCacheDuration,
                wallClock: configuration.wallClock),
            metrics: APIMetrics(factory: metricsFactory), logger: logger,
            admissions: AdmissionLedger(
                delay: configuration.standingQueueTarget.map(ControlledDelay.init(target:)),
                grace: configuration.heldPlaceGrace),
            tenantAdmission: TenantAdmission(
                directory: tenants, now: configuration.rateClock, wallClock: configuration.wallClock),
            tenants: tenants, previews: previews)
        handler = APIHandler(gateway: gateway, registry: registry)
        self.metricsFactory = metricsFactory
        self.maxBodyBytes = configuration.maxBodyBytes
        gate = AuthenticationGate(
            verifier: configuration.requiresKeys ? KeyVerifier(directory: tenants) : nil,
            metricsNeedKey: configuration.metricsNeedKey)
        self.logger = logger
    }

    /// Compact JSON with millisecond timestamps, so clients can split queue wait from service time.
    static let openAPIConfiguration = Configuration(
        dateTranscoder: MillisecondTimestamps(), jsonEncodingOptions: [.sortedKeys])

    /// The encoder writing API types as the generated routes do (sorted keys, millisecond timestamps), for the
    /// bodies written outside them: event streams and webhooks. One for the process: its options never change,
    /// and a `JSONEncoder` may encode on several threads at once.
    static let jsonEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(try openAPIConfiguration.dateTranscoder.encode(date))
        }
        return encoder
    }()

    /// A router serving the whole API.
    public func makeRouter() throws -> Router<GatewayRequestContext> {
        let router = Router(context: GatewayRequestContext.self)
        router.add(middleware: HTTPMetricsMiddleware(factory: metricsFactory))
        router.add(middleware: HTTPProblemMiddleware(maxBodyBytes: maxBodyBytes))
        router.add(middleware: StudioFiles.securityMiddleware(for: GatewayRequestContext.self))
        if let studio = StudioFiles.middleware(for: GatewayRequestContext.self) { router.add(middleware: studio) }
        router.add(middleware: gate)
        try handler.registerHandlers(
            on: router, configuration: Self.openAPIConfiguration,
            middlewares: [ProblemMiddleware(logger: logger), PlainHeadersMiddleware(), EmptyBodyMiddleware()])
        WebUIRoutes(gateway: handler.gateway).register(on: router)
        return router
    }
}
