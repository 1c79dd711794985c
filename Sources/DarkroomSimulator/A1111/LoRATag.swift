/// A `<lora:NAME:WEIGHT>` tag in an A1111 prompt (extra-networks syntax; `lyco` is an alias).
struct LoRATag: Sendable, Equatable {
    var name: String
    var weight: Double

    /// Every LoRA tag in `prompt`, in order. A weight that is missing or not a number counts as 1.0, and
    /// named arguments (`te=`, `unet=`) take the text-encoder weight, as the built-in extension does.
    static func parse(_ prompt: String) -> [LoRATag] {
        var tags: [LoRATag] = []
        var rest = Substring(prompt)
        while let open = rest.firstIndex(of: "<") {
            rest = rest[rest.index(after: open)...]
            guard let close = rest.firstIndex(of: ">") else { break }
            let body = rest[..<close]
            let parts = body.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            if parts.count >= 2, ["lora", "lyco"].contains(parts[0]), !parts[1].isEmpty {
                let positional = parts.dropFirst(2).first { !$0.contains("=") }
                let named = parts.dropFirst(2).first { $0.hasPrefix("te=") }.map { String($0.dropFirst(3)) }
                tags.append(LoRATag(name: parts[1], weight: Double(positional ?? named ?? "") ?? 1.0))
            }
            rest = rest[rest.index(after: close)...]
        }
        return tags
    }
}
