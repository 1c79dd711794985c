import Foundation

/// Reads a failed A1111 / Forge answer into a ``BackendError``.
///
/// Bodies come in three shapes, parsed defensively: A1111's own handler
/// `{"error": "<Class>", "detail": "<msg>", "body": "", "errors": "<str(e)>"}`, FastAPI's
/// `{"detail": "<msg>"}` or `{"detail": [{"loc": […], "msg": "…"}]}` (422), and plain text on Forge builds
/// without that handler.
///
/// - 400 and 422 are request validation ("Sampler not found", pydantic errors): the job's fault,
///   ``BackendError/rejected(_:)`` with the server's message. So is a 404 whose A1111 body names a missing
///   thing ("Sampler not found" on older builds); a bare `{"detail": "Not Found"}` is a missing route.
/// - Every other 4xx says the server, not the job, is wrong: 401/403 (auth, a proxy), 404/405 (started without
///   `--api`, wrong base path), 408, 413, 429. It is ``BackendError/unavailable(_:)`` (`"<status> <reason>"`),
///   so the breaker opens and jobs go to other backends.
/// - 5xx: a CUDA out-of-memory (`error` is `OutOfMemoryError`, or the text says "out of memory") is
///   ``BackendError/outOfMemory``; another CUDA error named in `error`, `detail` or `errors` is
///   ``BackendError/gpuFault(_:)``; anything else ``BackendError/serverError(status:)``.
enum A1111ErrorAnswer {
    /// The error for a non-2xx `answer`.
    static func backendError(for answer: HTTPAnswer) -> BackendError {
        switch answer.status {
        case 500...:
            if isOutOfMemory(answer) { return .outOfMemory }
            if isCUDAFault(answer) { return .gpuFault(message(from: answer)) }
            return .serverError(status: answer.status)
        case 400, 422:
            return .rejected(message(from: answer))
        case 404 where namesMissingThing(answer):
            return .rejected(message(from: answer))
        case 400..<500:
            return .unavailable("\(answer.status) \(message(from: answer, limit: 120))")
        default:
            return .badResponse("unexpected HTTP status \(answer.status)")
        }
    }

    /// Whether the body reports a CUDA out-of-memory.
    static func isOutOfMemory(_ answer: HTTPAnswer) -> Bool {
        if answer.json?["error"]?.stringValue?.contains("OutOfMemoryError") == true { return true }
        let text = String(decoding: answer.body, as: UTF8.self).lowercased()
        return text.contains("out of memory") || text.contains("outofmemoryerror")
    }

    /// Whether A1111's error body names a CUDA error ("CUDA error: an illegal memory access was encountered").
    static func isCUDAFault(_ answer: HTTPAnswer) -> Bool {
        guard let json = answer.json else { return false }
        return ["error", "detail", "errors"].contains { key in
            json[key]?.stringValue?.range(of: "CUDA error", options: .caseInsensitive) != nil
        }
    }

    /// Whether a 404's JSON `detail` names something the request asked for, not the route (`"Not Found"`).
    private static func namesMissingThing(_ answer: HTTPAnswer) -> Bool {
        guard let detail = answer.json?["detail"]?.stringValue?.trimmingCharacters(in: .whitespaces) else {
            return false
        }
        return detail.lowercased().hasSuffix(" not found")
    }

    /// The most useful human-readable message in the body, cut to `limit` characters.
    static func message(from answer: HTTPAnswer, limit: Int = 300) -> String {
        let fallback = "HTTP \(answer.status)"
        guard let json = answer.json else {
            let text = answer.text(limit: limit)
            return text.isEmpty ? fallback : text
        }
        let candidates = [detail(json["detail"]), json["errors"]?.stringValue, json["error"]?.stringValue]
        let found = candidates.compactMap { $0?.trimmingCharacters(in: .whitespacesAndNewlines) }.first { !$0.isEmpty }
        guard let found else { return answer.text(limit: limit).isEmpty ? fallback : answer.text(limit: limit) }
        return found.count > limit ? String(found.prefix(limit)) + "…" : found
    }

    /// FastAPI's `detail`: a string, or a list of `{loc, msg}` validation items.
    private static func detail(_ value: BackendJSON?) -> String? {
        if let text = value?.stringValue { return text }
        guard let items = value?.arrayValue else { return nil }
        let parts = items.compactMap { item -> String? in
            if let text = item.stringValue { return text }
            guard let message = item["msg"]?.stringValue ?? item["message"]?.stringValue else { return nil }
            let location = (item["loc"]?.arrayValue ?? []).compactMap {
                $0.stringValue ?? $0.int64Value.map(String.init)
            }
            return location.isEmpty ? message : "\(location.joined(separator: ".")): \(message)"
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
