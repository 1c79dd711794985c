/// ComfyUI's output cache: a node whose inputs (and everything upstream) are unchanged since a previous
/// prompt is not run again. Resubmitting an identical graph therefore runs nothing and returns the same
/// file names (upstream's behaviour, gotcha 5 in the protocol notes).
///
/// Entries are keyed by input signature, not node id; those the current prompt does not use are dropped
/// when it starts (the classic cache's `clean_unused`).
struct ExecutionCache: Sendable {
    struct Entry: Sendable {
        var outputs: [NodeValue]
        /// The node's UI output and meta (`{"output": …, "meta": …}`), for output nodes.
        var ui: JSONObject?
    }

    private var entries: [String: Entry] = [:]

    /// Every node's signature in `prompt`: class, literal inputs and the signatures of linked nodes.
    static func signatures(of prompt: JSONObject) -> [String: String] {
        var memo: [String: String] = [:]
        for id in prompt.keys { _ = signature(id, prompt, &memo, visiting: []) }
        return memo
    }

    private static func signature(
        _ id: String, _ prompt: JSONObject, _ memo: inout [String: String], visiting: Set<String>
    )
        -> String?
    {
        if let known = memo[id] { return known }
        guard !visiting.contains(id), let node = prompt[id]?.object else { return nil }
        var parts = [node["class_type"]?.serialized(.compact) ?? "?"]
        for (name, value) in node["inputs"]?.object?.members ?? [] {
            if case .array(let link) = value, link.count == 2, let source = link[0].string {
                guard let upstream = signature(source, prompt, &memo, visiting: visiting.union([id])) else {
                    return nil
                }
                parts.append("\(name)=<\(upstream)>[\(link[1].serialized(.compact))]")
            } else {
                parts.append("\(name)=\(value.serialized(.compact))")
            }
        }
        let signature = parts.joined(separator: ";")
        memo[id] = signature
        return signature
    }

    /// Drops entries the prompt with these signatures does not use.
    mutating func keepOnly(_ signatures: some Collection<String>) {
        let used = Set(signatures)
        entries = entries.filter { used.contains($0.key) }
    }

    subscript(signature: String?) -> Entry? {
        get { signature.flatMap { entries[$0] } }
        set { if let signature { entries[signature] = newValue } }
    }
}
