import DarkroomWire
import Hummingbird

extension ComfyServer {
    func registerQueue<Routes: RouterMethods>(on routes: Routes) {
        routes.get("queue") { _, _ in Response.json(await queue.queueJSON, style: .pythonDefault) }
        routes.post("queue") { request, _ in
            guard let json = try JSONParser.parseOrNil(await request.bodyBytes())?.object else {
                return Self.internalServerError
            }
            if let clear = json["clear"], PythonCoercion.bool(clear) { await queue.clear() }
            if let ids = json["delete"]?.array { await queue.delete(ids.compactMap(\.string)) }
            return Response.empty()
        }
        routes.post("interrupt") { request, _ in
            // Upstream reads an optional JSON body and treats a JSONDecodeError as "interrupt whatever runs";
            // the RecursionError of a deeply nested body escapes its handler (aiohttp's 500).
            let body = try await request.bodyBytes()
            let json: JSONObject?
            do throws(JSONParseFailure) {
                json = try JSONParser.parse(body).object
            } catch {
                guard case .malformed = error else { return Self.internalServerError }
                json = nil
            }
            let promptID = json?["prompt_id"].flatMap { PythonCoercion.bool($0) ? PythonCoercion.str($0) : nil }
            await queue.interrupt(promptID: promptID)
            return Response.empty()
        }
        routes.get("history") { request, _ in
            let maxItems = request.uri.queryParameters["max_items"].flatMap { Int(String($0)) }
            let offset = request.uri.queryParameters["offset"].flatMap { Int(String($0)) } ?? -1
            return Response.json(await queue.history(maxItems: maxItems, offset: offset), style: .pythonDefault)
        }
        routes.get("history/{prompt_id}") { _, context in
            let id = context.parameters.get("prompt_id") ?? ""
            return Response.json(await queue.history(for: id), style: .pythonDefault)
        }
        routes.post("history") { request, _ in
            guard let json = try JSONParser.parseOrNil(await request.bodyBytes())?.object else {
                return Self.internalServerError
            }
            let clear = json["clear"].map(PythonCoercion.bool) ?? false
            await queue.editHistory(clear: clear, delete: json["delete"]?.array?.compactMap(\.string) ?? [])
            return Response.empty()
        }
    }
}
