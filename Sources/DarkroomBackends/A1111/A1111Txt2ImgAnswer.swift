import DarkroomCore
import Foundation

/// Reads the answer of `POST /sdapi/v1/txt2img`: `{"images": [base64…], "info": "<JSON string>"}`.
///
/// Images are bare base64 (a `data:` prefix is tolerated) and must be PNG; width and height come from each PNG's
/// IHDR, seeds from `info.all_seeds` (JSON inside a JSON string), else `request.seed + i`. Everything the
/// server returned comes back; fewer images than the batch is a ``BackendError/badResponse(_:)``.
enum A1111Txt2ImgAnswer {
    static let formatHint = "set the server option samples_format to png"

    /// The images in `body`.
    static func images(from body: Data, for request: GenerationRequest) throws -> [GeneratedImage] {
        guard let json = BackendJSON.parse(body) else {
            throw BackendError.badResponse("the txt2img answer is not JSON")
        }
        guard let encoded = json["images"]?.arrayValue, !encoded.isEmpty else {
            throw BackendError.badResponse("the txt2img answer has no images")
        }
        guard encoded.count >= request.batchSize else {
            throw BackendError.badResponse(
                "asked for \(request.batchSize) images, the txt2img answer has \(encoded.count)")
        }
        let seeds = Self.seeds(info: json["info"])
        return try encoded.enumerated().map { index, value in
            let label = "image \(index + 1)"
            guard let text = value.stringValue, let png = decodeBase64(text) else {
                throw BackendError.badResponse("\(label) is not valid base64")
            }
            let header = try PNGHeader(validating: png, label: label, formatHint: formatHint)
            let seed = index < seeds.count ? seeds[index] : request.seed + Int64(index)
            return GeneratedImage(png: png, width: header.width, height: header.height, seed: seed)
        }
    }

    /// `all_seeds` from the `info` string, or `[seed]`; empty when `info` is missing or not JSON.
    static func seeds(info: BackendJSON?) -> [Int64] {
        guard let text = info?.stringValue, let info = BackendJSON.parse(Data(text.utf8)) else { return [] }
        if let all = info["all_seeds"]?.arrayValue {
            let seeds = all.compactMap(\.int64Value)
            if seeds.count == all.count { return seeds }
        }
        return info["seed"]?.int64Value.map { [$0] } ?? []
    }

    /// Bare base64, or a `data:…;base64,` URI; `nil` when not base64.
    ///
    /// One pass over the bytes: the text is decoded as it is, and only a payload that fails (line breaks, as
    /// MIME base64 has) is decoded again without its ASCII whitespace. Megabytes of image must never be walked
    /// `Character` by `Character`.
    static func decodeBase64(_ text: String) -> Data? {
        var payload = Substring(text)
        if payload.hasPrefix("data:"), let comma = payload.firstIndex(of: ",") {
            payload = payload[payload.index(after: comma)...]
        }
        guard !payload.isEmpty else { return nil }
        if let data = Data(base64Encoded: String(payload)) { return data }
        let compact = payload.utf8.filter { !Self.isASCIIWhitespace($0) }
        guard !compact.isEmpty, compact.count < payload.utf8.count else { return nil }
        return Data(base64Encoded: Data(compact))
    }

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x0C
    }
}
