import DarkroomWire
import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle

/// The SD WebUI (A1111 / Forge) HTTP API of the simulator: `/sdapi/v1/*` and the UI-mode `/internal/*`
/// routes, with upstream's response and error shapes.
struct A1111Routes: Sendable {
    let engine: A1111Engine

    func register<Routes: RouterMethods>(on routes: Routes) {
        routes.post("sdapi/v1/txt2img") { request, _ in try await txt2img(request) }
        routes.get("sdapi/v1/progress") { request, _ in
            // FastAPI's bool: the image is sent unless the caller says to skip it (upstream's default is to send).
            let skip = request.uri.queryParameters.get("skip_current_image").map(Self.isTrue) ?? false
            return Response.json(await engine.progress(image: !skip), style: .compact)
        }
        routes.get("internal/preview-stats") { _, _ in Response.json(await engine.previewStats(), style: .compact) }
        routes.post("sdapi/v1/interrupt") { _, _ in
            await engine.interrupt()
            return Response.json([:], style: .compact)
        }
        routes.post("sdapi/v1/skip") { _, _ in
            await engine.skip()
            return Response.json(nil, style: .compact)
        }
        routes.get("sdapi/v1/memory") { _, _ in Response.json(await engine.memoryReport(), style: .compact) }
        routes.get("sdapi/v1/options") { _, _ in Response.json(.object(await engine.options), style: .compact) }
        routes.post("sdapi/v1/options") { request, _ in try await setOptions(request) }
        routes.get("internal/ping") { _, _ in Response.json([:], style: .compact) }
        routes.post("internal/progress") { request, _ in try await taskProgress(request) }
        routes.get("internal/pending-tasks") { _, _ in Response.json(await engine.pendingTasks(), style: .compact) }
        A1111Listings(models: engine.models).register(on: routes)
    }

    /// How FastAPI reads a boolean query parameter as true.
    private static func isTrue(_ value: String) -> Bool {
        ["1", "true", "on", "yes", "t", "y"].contains(value.lowercased())
    }

    private func txt2img(_ request: Request) async throws -> Response {
        let body = try await request.bodyBytes()
        do {
            let parameters = try Txt2ImgRequest.decode(body, isJSONContent: request.hasFastAPIJSONBody)
            let (images, info) = try await cancelWhenGracefulShutdown { try await engine.txt2img(parameters) }
            return .json(
                [
                    "images": .strings(images.map { $0.base64EncodedString() }),
                    "parameters": .object(parameters.parameters), "info": .string(info),
                ], style: .compact)
        } catch let error as A1111Error {
            return error.response
        }
    }

    private func setOptions(_ request: Request) async throws -> Response {
        let body = try await request.bodyBytes()
        do throws(A1111Error) {
            guard case .object(let changes)? = try Self.json(body) else {
                throw A1111Error.validation([
                    .init(location: ["body"], message: "value is not a valid dict", type: "type_error.dict")
                ])
            }
            try await engine.setOptions(changes)
            return .json(nil, style: .compact)
        } catch {
            return error.response
        }
    }

    private func taskProgress(_ request: Request) async throws -> Response {
        let body = try await request.bodyBytes()
        do throws(A1111Error) {
            guard case .object(let fields)? = try Self.json(body), let id = fields["id_task"]?.string else {
                throw A1111Error.validation([
                    .init(location: ["body", "id_task"], message: "field required", type: "value_error.missing")
                ])
            }
            return .json(await engine.taskProgress(id: id), style: .compact)
        } catch {
            return error.response
        }
    }

    /// The parsed body, or `nil` when it is not JSON (each route answers that with its own 422).
    ///
    /// - Throws: ``A1111Error/unparseableBody`` when it is nested too deeply for Python to read.
    private static func json(_ body: [UInt8]) throws(A1111Error) -> JSONValue? {
        do {
            return try JSONParser.parse(body)
        } catch .nestedTooDeeply {
            throw .unparseableBody
        } catch {
            return nil
        }
    }
}
