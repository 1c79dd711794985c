import Foundation

/// A ComfyUI WebSocket text frame that matters to a running prompt; every other frame decodes to `nil`.
///
/// `progress` (and newer builds' per-node `progress_state`) are progress; `executed` names an output node's images;
/// `execution_success`, or `executing` with a null node, mean done; `execution_error` and `execution_interrupted`
/// are failures. Binary frames
/// (previews) never get here, and `status` or unknown types are ignored, as is anything without a `prompt_id`.
struct ComfyUIEvent: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case progress(value: Double, max: Double)
        /// An output node finished, with the images it wrote.
        case executed(node: String, images: [ComfyUIHistory.ImageReference])
        case finished
        case failed(BackendError)
        case interrupted
    }

    var promptID: String
    var kind: Kind

    init(promptID: String, kind: Kind) {
        self.promptID = promptID
        self.kind = kind
    }

    /// Decodes one text frame.
    init?(text: String) {
        guard let json = BackendJSON.parse(Data(text.utf8)), let type = json["type"]?.stringValue,
            let data = json["data"], let promptID = data["prompt_id"]?.stringValue
        else { return nil }
        guard let kind = Self.kind(type: type, data: data) else { return nil }
        self.init(promptID: promptID, kind: kind)
    }

    private static func kind(type: String, data: BackendJSON) -> Kind? {
        switch type {
        case "progress":
            guard let value = data["value"]?.doubleValue, let max = data["max"]?.doubleValue else { return nil }
            return .progress(value: value, max: max)
        case "progress_state":
            return samplerProgress(data["nodes"])
        case "executing":
            return data["node"] == nil || data["node"]?.isNull == true ? .finished : nil
        case "executed":
            guard let node = data["node"]?.stringValue else { return nil }
            return .executed(node: node, images: ComfyUIHistory.imageReferences(in: data["output"]))
        case "execution_success":
            return .finished
        case "execution_error":
            return .failed(ComfyUIExecutionError.backendError(from: data))
        case "execution_interrupted":
            return .interrupted
        default:
            return nil
        }
    }

    /// The running node with the most steps stands for the prompt (the sampler).
    ///
    /// `progress_state` lists every node that has started: finished loaders at 1 of 1, and the sampler at 0 of 1
    /// until its first step. Counting those would report the last step before sampling began, so only running
    /// nodes with more than one step count.
    private static func samplerProgress(_ nodes: BackendJSON?) -> Kind? {
        let entries = (nodes?.objectValue ?? [:]).values.compactMap { node -> (value: Double, max: Double)? in
            guard node["state"]?.stringValue == "running", let value = node["value"]?.doubleValue,
                let max = node["max"]?.doubleValue, max > 1
            else { return nil }
            return (value, max)
        }
        guard let longest = entries.max(by: { ($0.max, $0.value) < ($1.max, $1.value) }) else { return nil }
        return .progress(value: longest.value, max: longest.max)
    }
}
