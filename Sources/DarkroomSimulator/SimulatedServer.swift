import DarkroomWire
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle

/// A stand-alone simulated inference server that speaks the real SD WebUI (A1111) or ComfyUI protocol
/// over HTTP (and ComfyUI's WebSocket), backed by a simulated GPU.
///
/// Build the Hummingbird application with ``application(host:port:onServerRunning:)`` and run it as a
/// `Service` (it stops on graceful shutdown: running A1111 generations are cancelled, ComfyUI's worker
/// stops between steps). Each application owns its own queue, history and files; nothing is global.
public struct SimulatedServer: Sendable {
    /// How the server behaves; validated by ``application(host:port:onServerRunning:)``.
    public let configuration: SimulatorConfiguration
    private let logger: Logger

    /// A server that logs through `logger` (request logs carry Hummingbird's `hb.request.id`).
    public init(configuration: SimulatorConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// The HTTP (and, for ComfyUI, WebSocket) application listening on `host`:`port` (0 picks a free port).
    ///
    /// - Parameter onServerRunning: called once the socket is bound, with its channel (for the address).
    /// - Throws: ``SimulatorConfigurationError`` when the configuration is invalid.
    public func application(
        host: String, port: Int, onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        try configuration.validate()
        let router = Router(context: BasicWebSocketRequestContext.self)
        let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
        var services: [any Service] = []
        let busy = BusyLog()
        switch configuration.protocol {
        case .a1111:
            router.add(middleware: NotFoundMiddleware(style: .compact))
            A1111Routes(engine: A1111Engine(configuration: configuration, busy: busy, logger: logger))
                .register(on: router)
        case .comfyui:
            router.add(middleware: NotFoundMiddleware(style: .pythonDefault))
            router.add(middleware: ComfyOriginCheck())
            webSocketRouter.add(middleware: ComfyOriginCheck())
            let comfy = ComfyServer(configuration: configuration, busy: busy, logger: logger)
            for routes in [router.group(), router.group("api")] { comfy.register(on: routes) }
            for path in ["ws", "api/ws"] { comfy.registerWebSocket(on: webSocketRouter, path: RouterPath(path)) }
            services.append(comfy.worker)
        }
        for path in ["internal/gpu-stats", "internal/seedstack-stats"] {
            router.get(RouterPath(path)) { _, _ in Response.json(busy.json, style: .compact) }
        }
        return Application(
            router: router,
            server: .http1WebSocketUpgrade(webSocketRouter: webSocketRouter),
            configuration: .init(
                address: .hostname(host, port: port), serverName: Self.serverName(configuration.protocol)),
            services: services,
            onServerRunning: onServerRunning,
            logger: logger)
    }

    private static func serverName(_ kind: SimulatorProtocol) -> String {
        switch kind {
        case .a1111: "uvicorn"
        case .comfyui: "Python/3.12 aiohttp/3.11.18"
        }
    }
}
