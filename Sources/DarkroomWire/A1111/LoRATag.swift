/// A `<lora:NAME:WEIGHT>` tag in an A1111 prompt (extra-networks syntax; `lyco` is an alias).
package struct LoRATag: Sendable, Equatable {
    package var name: String
    package var weight: Double

    package init(name: String, weight: Double) {
        self.name = name
        self.weight = weight
    }

    /// Every LoRA tag in `prompt`, in order. A weight that is missing or not a number counts as 1.0, and
    /// named arguments (`te=`, `unet=`) take the text-encoder weight, as the built-in extension does.
    package static func parse(_ prompt: String) -> [LoRATag] {
        split(prompt).tags
    }

    /// The tags of `prompt` and the prompt without them, as the extra-networks pass leaves it for the text
    /// encoder (spaces around a removed tag collapse to one). A `<`
    /// that does not open a tag stays in the text, and the search goes on right after it.
    package static func split(_ prompt: String) -> (tags: [LoRATag], rest: String) {
        var tags: [LoRATag] = []
        var kept = ""
        var rest = Substring(prompt)
        while let open = rest.firstIndex(of: "<") {
            let tail = rest[rest.index(after: open)...]
            guard let close = tail.firstIndex(of: ">") else { break }
            if let tag = LoRATag(body: tail[..<close]) {
                tags.append(tag)
                kept += rest[..<open]
                rest = tail[tail.index(after: close)...]
            } else {
                kept += rest[...open]
                rest = tail
            }
        }
        kept += rest
        return (tags, kept.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "))
    }

    /// The tag whose text between `<` and `>` is `body`, or `nil` when that is not a LoRA tag.
    private init?(body: Substring) {
        let parts = body.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, ["lora", "lyco"].contains(parts[0]), !parts[1].isEmpty else { return nil }
        let positional = parts.dropFirst(2).first { !$0.contains("=") }
        let named = parts.dropFirst(2).first { $0.hasPrefix("te=") }.map { String($0.dropFirst(3)) }
        self.init(name: parts[1], weight: Double(positional ?? named ?? "") ?? 1.0)
    }
}
