import Foundation

/// Reads `GET /history/{prompt_id}`: `{}` until the prompt finished, then its outputs and status.
///
/// `status.status_str` `"error"` carries the cause in `status.messages` (`["execution_error", {…}]` or
/// `["execution_interrupted", {…}]`, which is ``BackendError/interrupted``); an entry without a status (old builds)
/// counts as success.
enum ComfyUIHistory {
    /// An image an output node wrote, as `/view` wants it.
    struct ImageReference: Sendable, Equatable {
        var filename: String
        var subfolder: String
        var type: String
    }

    enum Outcome: Sendable, Equatable {
        case pending
        case succeeded(outputs: [String: [ImageReference]])
        case failed(BackendError)
    }

    /// The outcome of `promptID` in `body`.
    ///
    /// - Throws: ``BackendError/badResponse(_:)`` when the body is not a JSON object.
    static func outcome(from body: Data, promptID: String) throws -> Outcome {
        guard let json = BackendJSON.parse(body), json.objectValue != nil else {
            throw BackendError.badResponse("the /history answer is not a JSON object")
        }
        guard let entry = json[promptID], entry.objectValue != nil else { return .pending }
        if entry["status"]?["status_str"]?.stringValue == "error" {
            return .failed(failure(in: entry["status"]?["messages"]?.arrayValue ?? []))
        }
        var outputs: [String: [ImageReference]] = [:]
        for (node, output) in entry["outputs"]?.objectValue ?? [:] {
            outputs[node] = imageReferences(in: output)
        }
        return .succeeded(outputs: outputs)
    }

    /// The images of the `SaveImage` nodes `nodeIDs`, in that order.
    static func images(in outputs: [String: [ImageReference]], nodeIDs: [String]) -> [ImageReference] {
        nodeIDs.flatMap { outputs[$0] ?? [] }
    }

    private static func failure(in messages: [BackendJSON]) -> BackendError {
        for message in messages {
            switch message[0]?.stringValue {
            case "execution_error": return ComfyUIExecutionError.backendError(from: message[1])
            // Darkroom's own interrupts end in a cancelled task, which never reads this: someone else did it.
            case "execution_interrupted": return .interrupted
            default: continue
            }
        }
        return .executionFailed("the prompt failed without an error message")
    }

    /// The images an output node's `output` lists (in `/history` and in the `executed` event alike).
    static func imageReferences(in output: BackendJSON?) -> [ImageReference] {
        (output?["images"]?.arrayValue ?? []).compactMap(imageReference)
    }

    private static func imageReference(_ value: BackendJSON) -> ImageReference? {
        guard let filename = value["filename"]?.stringValue, !filename.isEmpty else { return nil }
        return ImageReference(
            filename: filename, subfolder: value["subfolder"]?.stringValue ?? "",
            type: value["type"]?.stringValue ?? "output")
    }
}
