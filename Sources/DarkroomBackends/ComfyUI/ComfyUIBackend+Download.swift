import DarkroomCore
import Foundation

extension ComfyUIBackend {
    /// Fetches the `SaveImage` outputs through `/view`; each must be a PNG, and there must be a whole batch.
    ///
    /// Every image carries `request.seed`: a ComfyUI batch shares one seed and differs by batch index.
    func download(
        _ outputs: [String: [ComfyUIHistory.ImageReference]], of graph: BackendJSON, for request: GenerationRequest
    ) async throws -> [GeneratedImage] {
        let references = ComfyUIHistory.images(
            in: outputs, nodeIDs: ComfyUIWorkflowTemplate.saveImageNodeIDs(in: graph))
        guard references.count >= request.batchSize else {
            throw BackendError.badResponse(
                "asked for \(request.batchSize) images, the SaveImage outputs have \(references.count)")
        }
        var images: [GeneratedImage] = []
        for reference in references {
            let answer = try await http.get(
                "/view",
                query: [
                    ("filename", reference.filename), ("subfolder", reference.subfolder),
                    ("type", reference.type),
                ],
                timeout: configuration.requestTimeout, maxBytes: configuration.maxResponseBytes)
            guard answer.isSuccess else {
                if answer.status >= 500 { throw BackendError.serverError(status: answer.status) }
                throw BackendError.badResponse("GET /view of \(reference.filename) answered HTTP \(answer.status)")
            }
            let header = try PNGHeader(validating: answer.body, label: "image \(reference.filename)")
            images.append(
                GeneratedImage(png: answer.body, width: header.width, height: header.height, seed: request.seed))
        }
        return images
    }
}
