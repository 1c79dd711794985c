import Foundation
import Hummingbird

/// `http-floor PORT SUBMIT_FILE EVENTS_FILE`: a Hummingbird server that answers `POST /v1/jobs` (after reading
/// the body) with the bytes of SUBMIT_FILE as a 202, and `GET /v1/jobs/{id}/events` with the events of
/// EVENTS_FILE, one write per event, as Darkroom's event stream writes them. What is left of Darkroom's cost per
/// job once the store, the worker and the JSON are taken away: the HTTP framework's own.
@main
struct HTTPFloor {
    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 4, let port = Int(arguments[1]) else {
            FileHandle.standardError.write(Data("usage: http-floor PORT SUBMIT_FILE EVENTS_FILE\n".utf8))
            exit(64)
        }
        let submitted = ByteBuffer(bytes: try Data(contentsOf: URL(fileURLWithPath: arguments[2])))
        let events = try eventChunks(of: Data(contentsOf: URL(fileURLWithPath: arguments[3])))

        let router = Router()
        router.post("/v1/jobs") { request, _ -> Response in
            _ = try await request.body.collect(upTo: 1 << 20)
            return Response(
                status: .accepted, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: submitted))
        }
        router.get("/v1/jobs/:id/events") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/event-stream"],
                body: ResponseBody { writer in
                    for event in events { try await writer.write(event) }
                    try await writer.finish(nil)
                })
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await app.runService()
    }

    /// The stream's bytes cut after each blank line (the end of an event).
    static func eventChunks(of data: Data) -> [ByteBuffer] {
        var chunks: [ByteBuffer] = []
        var start = data.startIndex
        var index = data.startIndex
        while index < data.endIndex {
            if data[index] == 0x0A, index + 1 < data.endIndex, data[index + 1] == 0x0A {
                chunks.append(ByteBuffer(bytes: data[start...(index + 1)]))
                start = index + 2
                index = start
            } else {
                index += 1
            }
        }
        if start < data.endIndex { chunks.append(ByteBuffer(bytes: data[start...])) }
        return chunks
    }
}
