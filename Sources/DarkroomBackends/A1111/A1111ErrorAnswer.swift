import Foundation

/// Reads a failed A1111 / Forge answer into a ``BackendError``.
///
/// Bodies come in three shapes, parsed defensively: A1111's own handler
/// `{"error": "<Class>", "detail": "<msg>", "body": "", "errors": "<str(e)>"}`, FastAPI's
/// `{"detail": "<msg>"}` or `{"detail": [{"loc": […], "msg": "…"}]}` (422), and plain text on Forge builds
/// without that handler. A CUDA out-of-memory (a 5xx whose `error` is `OutOfMemoryError`, or whose text says
/// "out of memory") is ``BackendError/outOfMemory``; other 5xx ``BackendError/serverError(status:)``; 4xx
/// ``BackendError/rejected(_:)`` carrying the server's message.
enum A1111ErrorAnswer {
    /// The error for a non-2xx `answer`.
    static func backendError(for answer: HTTPAnswer) -> BackendError {
        switch answer.status {
        case 500...:
            isOutOfMemory(answer) ? .outOfMemory : .serverError(status: answer.status)
        case 400..<500:
            .rejected(message(from: answer))
        default:
            .badResponse("unexpected HTTP status \(answer.status)")
        }
    }

    /// Whether the body reports a CUDA out-of-memory.
    static func isOutOfMemory(_ answer: HTTPAnswer) -> Bool {
        if answer.json?["error"]?.stringValue?.contains("OutOfMemoryError") == true { return true }
        let text = String(decoding: answer.body, as: UTF8.self).lowercased()
        return text.contains("out of memory") || text.contains("outofmemoryerror")
    }

    /// The most useful human-readable message in the body, cut to a few hundred characters.
    static func message(from answer: HTTPAnswer) -> String {
        let fallback = "HTTP \(answer.status)"
        guard let json = answer.json else {
            let text = answer.text()
            return text.isEmpty ? fallback : text
        }
        let candidates = [detail(json["detail"]), json["errors"]?.stringValue, json["error"]?.stringValue]
        let found = candidates.compactMap { $0?.trimmingCharacters(in: .whitespacesAndNewlines) }.first { !$0.isEmpty }
        guard let found else { return answer.text().isEmpty ? fallback : answer.text() }
        return found.count > 300 ? String(found.prefix(300)) + "…" : found
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
