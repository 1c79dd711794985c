import Foundation

/// Reads the answer of `POST /prompt`.
///
/// 200 → `{"prompt_id", "number", "node_errors"}`; a non-empty `node_errors` means some outputs failed validation
/// and will be skipped, which Darkroom treats as a refused job (reference Gotcha 6). 400 →
/// `{"error": {"type", "message", "details"}, "node_errors": {…}}`, or `{"error": "no prompt"}` on old builds.
/// Node errors become `"<class_type> (node <id>): <message>: <details>"`, so a wrong LoRA file name reaches the user.
enum ComfyUIPromptAnswer {
    /// The prompt id the server runs (its own, where it ignored ours).
    ///
    /// - Throws: ``BackendError`` for a failed or refused submission.
    static func promptID(from answer: HTTPAnswer, submitted: String) throws -> String {
        guard answer.isSuccess else { throw backendError(for: answer) }
        guard let json = answer.json, json.objectValue != nil else {
            throw BackendError.badResponse("the /prompt answer is not a JSON object")
        }
        if let message = nodeErrorsMessage(json["node_errors"]) { throw BackendError.rejected(message) }
        return json["prompt_id"]?.stringValue ?? submitted
    }

    /// The error for a non-2xx answer: 4xx refused with the server's message, 5xx a server error.
    static func backendError(for answer: HTTPAnswer) -> BackendError {
        switch answer.status {
        case 500...: return .serverError(status: answer.status)
        case 400..<500: break
        default: return .badResponse("unexpected HTTP status \(answer.status) from /prompt")
        }
        guard let json = answer.json else {
            let text = answer.text()
            return .rejected(text.isEmpty ? "HTTP \(answer.status)" : text)
        }
        if let message = nodeErrorsMessage(json["node_errors"]) { return .rejected(message) }
        return .rejected(errorMessage(json["error"]) ?? answer.text())
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
