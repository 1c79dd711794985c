/// A `<lora:NAME:WEIGHT>` tag in an A1111 prompt (extra-networks syntax; `lyco` is an alias).
package struct LoRATag: Sendable, Equatable {
    package var name: String
    package var weight: Double

    /// Every LoRA tag in `prompt`, in order. A weight that is missing or not a number counts as 1.0, and
    /// named arguments (`te=`, `unet=`) take the text-encoder weight, as the built-in extension does.
    package static func parse(_ prompt: String) -> [LoRATag] {
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

    /// `prompt` without its LoRA tags, as the extra-networks pass leaves it for the text encoder.
    package static func removing(from prompt: String) -> String {
        var kept = ""
        var rest = Substring(prompt)
        while let open = rest.firstIndex(of: "<") {
            let tail = rest[rest.index(after: open)...]
            guard let close = tail.firstIndex(of: ">") else { break }
            let parts = tail[..<close].split(separator: ":", omittingEmptySubsequences: false)
            if parts.count >= 2, ["lora", "lyco"].contains(parts[0]), !parts[1].isEmpty {
                kept += rest[..<open]
                rest = tail[tail.index(after: close)...]
            } else {
                kept += rest[...open]
                rest = tail
            }
        }
        kept += rest
        return kept.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}
