import DarkroomWire
import HTTPTypes
import Hummingbird

extension ComfyServer {
    func registerFiles<Routes: RouterMethods>(on routes: Routes) {
        routes.get("view") { request, _ in await view(request) }
    }

    /// `GET /view?filename=&subfolder=&type=`: a file `SaveImage` (`output`) or `PreviewImage` (`temp`)
    /// wrote. A filename starting with `/` or holding `..` is 400, a subfolder leaving the folder 403, and
    /// a missing file 404 (all with empty bodies, as aiohttp's `web.Response(status=…)`).
    private func view(_ request: Request) async -> Response {
        let query = request.uri.queryParameters
        guard var filename = query["filename"].map(String.init) else { return .empty(status: .notFound) }
        var type: String?
        for annotation in ["output", "input", "temp"] where filename.hasSuffix(" [\(annotation)]") {
            filename = String(filename.dropLast(annotation.count + 3))
            type = annotation
        }
        guard !filename.isEmpty else { return .empty(status: .badRequest) }
        guard !filename.hasPrefix("/"), !filename.contains("..") else { return .empty(status: .badRequest) }
        let folderType = type ?? query["type"].map(String.init) ?? "output"
        guard ["output", "input", "temp"].contains(folderType) else { return .empty(status: .badRequest) }
        guard let subfolder = Self.normalizedSubfolder(query["subfolder"].map(String.init) ?? "") else {
            return .empty(status: .forbidden)
        }
        let name = filename.split(separator: "/").last.map(String.init) ?? filename
        guard let png = await files.file(.init(type: folderType, subfolder: subfolder, filename: name)) else {
            return .empty(status: .notFound)
        }
        return .bytes(png, contentType: "image/png", extraHeaders: [.contentDisposition: "filename=\"\(name)\""])
    }

    /// The subfolder with `.` and `..` resolved, or `nil` when it leaves the output folder.
    static func normalizedSubfolder(_ subfolder: String) -> String? {
        guard !subfolder.hasPrefix("/") else { return nil }
        var parts: [Substring] = []
        for part in subfolder.split(separator: "/") where part != "." {
            if part == ".." {
                guard parts.popLast() != nil else { return nil }
            } else {
                parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }
}
