import Foundation

/// `Prefer: wait=N` (RFC 7240 §4.3): the client would rather wait up to N seconds for the outcome than poll.
///
/// Other preferences in the header are ignored, as RFC 7240 asks; a malformed `wait` is ignored too.
struct WaitPreference: Sendable, Equatable {
    /// The longest wait a client may ask for.
    static let maximumSeconds = 300

    /// The wait granted: the client's N, at most ``maximumSeconds``.
    let seconds: Int

    /// The preference in `header`, or `nil` when it asks for no wait.
    init?(header: String?) {
        guard let header else { return nil }
        // A preference's parameters follow a `;`; only its `name=value` counts.
        let preferences = header.split(separator: ",").map { $0.prefix { $0 != ";" } }
        for preference in preferences {
            let parts = preference.split(separator: "=", maxSplits: 1).map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            guard parts.count == 2, parts[0] == "wait" else { continue }
            let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            guard let seconds = Int(value), seconds > 0 else { return nil }
            self.seconds = min(seconds, Self.maximumSeconds)
            return
        }
        return nil
    }

    var duration: Duration { .seconds(seconds) }

    /// The `Preference-Applied` header value.
    var applied: String { "wait=\(seconds)" }
}
