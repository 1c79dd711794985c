import DarkroomWire

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

    /// Every node's signature in `prompt`: a digest of its class, literal inputs and the signatures of
    /// linked nodes. A node in a cycle, or linked to a missing node, has none and is never cached.
    ///
    /// Computed depth first with its own stack (nodes need not be reachable from a validated output, so
    /// chains can be as long as the body allows), and each signature is a fixed-size digest, so a long chain
    /// costs linear time and memory.
    static func signatures(of prompt: JSONObject) -> [String: String] {
        var memo: [String: String] = [:]
        var unsigned: Set<String> = []
        var visiting: Set<String> = []
        for root in prompt.keys {
            var stack = [root]
            while let id = stack.last {
                if memo[id] != nil || unsigned.contains(id) {
                    stack.removeLast()
                } else if visiting.insert(id).inserted {
                    // First visit: sign what it links to first. A source still being visited is a cycle.
                    for source in sources(of: id, in: prompt).reversed()
                    where memo[source] == nil && !unsigned.contains(source) && !visiting.contains(source) {
                        stack.append(source)
                    }
                } else {
                    stack.removeLast()
                    visiting.remove(id)
                    if let signature = signature(id, prompt, memo) { memo[id] = signature } else { unsigned.insert(id) }
                }
            }
        }
        return memo
    }

    /// The nodes `id` links to.
    private static func sources(of id: String, in prompt: JSONObject) -> [String] {
        (prompt[id]?["inputs"]?.object?.members ?? []).compactMap { _, value in
            guard case .array(let link) = value, link.count == 2 else { return nil }
            return link[0].string
        }
    }

    /// The signature of `id` from those of the nodes it links to, or `nil` when one has none.
    private static func signature(_ id: String, _ prompt: JSONObject, _ memo: [String: String]) -> String? {
        guard let node = prompt[id]?.object else { return nil }
        var parts = [node["class_type"]?.serialized(.compact) ?? "?"]
        for (name, value) in node["inputs"]?.object?.members ?? [] {
            if case .array(let link) = value, link.count == 2, let source = link[0].string {
                guard let upstream = memo[source] else { return nil }
                parts.append("\(name)=<\(upstream)>[\(link[1].serialized(.compact))]")
            } else {
                parts.append("\(name)=\(value.serialized(.compact))")
            }
        }
        return FakeHash.sha256(of: parts.joined(separator: ";"))
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
