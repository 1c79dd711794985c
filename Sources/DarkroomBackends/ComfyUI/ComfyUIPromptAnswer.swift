import Foundation

/// Reads the answer of `POST /prompt`.
///
/// 200 → `{"prompt_id", "number", "node_errors"}`. A non-empty `node_errors` means some outputs failed validation:
/// ComfyUI queued the valid ones all the same, so the prompt must be cancelled, and the job is refused
/// (reference Gotcha 6). 400 → `{"error": {"type", "message", "details"}, "node_errors": {…}}`, or
/// `{"error": "no prompt"}` on old builds: the graph's own fault, ``BackendError/rejected(_:)``.
/// Node errors become `"<class_type> (node <id>): <message>: <details>"`, so a wrong LoRA file name reaches the user.
///
/// Any other 4xx never comes from ComfyUI's validation: an origin check or an authenticating proxy (401, 403), a
/// base URL that is not ComfyUI (404, 405), a proxy's size or rate limit (413, 429). The backend, not the job, is
/// at fault, so it is ``BackendError/unavailable(_:)``.
enum ComfyUIPromptAnswer {
    /// What the server did with a graph it answered 2xx to.
    enum Acceptance: Sendable, Equatable {
        /// Queued under this prompt id.
        case queued(promptID: String)
        /// Queued under this prompt id with the outputs that passed validation, while others failed: the caller
        /// cancels the prompt, then throws the error.
        case queuedInPart(promptID: String, BackendError)
    }

    /// The prompt id the server runs (its own, where it ignored ours), and whether it must be withdrawn.
    ///
    /// - Throws: ``BackendError`` for a failed or refused submission.
    static func acceptance(from answer: HTTPAnswer, submitted: String) throws -> Acceptance {
        guard answer.isSuccess else { throw backendError(for: answer) }
        guard let json = answer.json, json.objectValue != nil else {
            throw BackendError.badResponse("the /prompt answer is not a JSON object")
        }
        let promptID = json["prompt_id"]?.stringValue ?? submitted
        if let message = nodeErrorsMessage(json["node_errors"]) {
            return .queuedInPart(promptID: promptID, .rejected(message))
        }
        return .queued(promptID: promptID)
    }

    /// The error for a non-2xx answer: a validation 400 refused with the server's message, other 4xx the
    /// backend's fault, 5xx a server error.
    static func backendError(for answer: HTTPAnswer) -> BackendError {
        switch answer.status {
        case 500...: return .serverError(status: answer.status)
        case 400: break
        case 401..<500: return .unavailable("\(answer.status) from POST /prompt: \(hint(for: answer.status))")
        default: return .badResponse("unexpected HTTP status \(answer.status) from /prompt")
        }
        if let json = answer.json {
            if let message = nodeErrorsMessage(json["node_errors"]) { return .rejected(message) }
            if let message = errorMessage(json["error"]) { return .rejected(message) }
            if let type = json["error"]?["type"]?.stringValue, !type.isEmpty { return .rejected(type) }
        }
        return .unavailable("400 from POST /prompt without ComfyUI's error object: \(hint(for: 400))")
    }

    /// The likely cause of a 4xx ComfyUI's validation did not send.
    static func hint(for status: Int) -> String {
        switch status {
        case 401, 403: "refused by an origin check or an authenticating proxy"
        case 404, 405: "is the base URL a ComfyUI server?"
        case 413: "the request is larger than the server or a proxy accepts"
        case 429: "rate limited by the server or a proxy"
        default: "not an answer ComfyUI gives"
        }
    }

    /// One line per failing input, nodes in id order; `nil` when there are none.
    static func nodeErrorsMessage(_ value: BackendJSON?) -> String? {
        guard let nodes = value?.objectValue, !nodes.isEmpty else { return nil }
        var lines: [String] = []
        for id in nodes.keys.sorted(by: ComfyUIWorkflowTemplate.nodeOrder) {
            guard let node = nodes[id] else { continue }
            let classType = node["class_type"]?.stringValue ?? "node"
            let errors = node["errors"]?.arrayValue ?? []
            let messages = errors.compactMap(errorMessage)
            if messages.isEmpty {
                lines.append("\(classType) (node \(id)): failed validation")
            }
            lines += messages.map { "\(classType) (node \(id)): \($0)" }
        }
        return clipped(lines.joined(separator: "; "))
    }

    /// `message: details` of an error object, or the error itself when it is a string.
    static func errorMessage(_ value: BackendJSON?) -> String? {
        if let text = value?.stringValue { return text.isEmpty ? nil : text }
        let message = trimmed(value?["message"]?.stringValue)
        let details = trimmed(value?["details"]?.stringValue)
        switch (message, details) {
        case (let message?, let details?): return "\(message): \(details)"
        case (let message?, nil): return message
        case (nil, let details?): return details
        case (nil, nil): return nil
        }
    }

    private static func trimmed(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }

    private static func clipped(_ text: String, limit: Int = 1000) -> String {
        text.count > limit ? String(text.prefix(limit)) + "…" : text
    }
}
