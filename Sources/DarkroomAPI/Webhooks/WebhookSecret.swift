import Crypto
import Foundation

/// The key webhooks are signed with, as Standard Webhooks defines it: `whsec_` and the key in base64.
///
/// Receivers verify `webhook-signature: v1,<base64 HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>")>`
/// with the same secret (docs/webhooks.md shows how, in a few lines of Python).
public struct WebhookSecret: Sendable {
    private let key: Data

    /// Reads `whsec_<base64>`; any other text is taken as the key's bytes (UTF-8).
    ///
    /// - Returns: `nil` for an empty secret, or a `whsec_` one whose base64 does not decode.
    public init?(_ text: String) {
        if text.hasPrefix("whsec_") {
            guard let bytes = Data(base64Encoded: String(text.dropFirst(6))), !bytes.isEmpty else { return nil }
            key = bytes
        } else {
            guard !text.isEmpty else { return nil }
            key = Data(text.utf8)
        }
    }

    /// The `webhook-signature` value for one message.
    public func signature(id: String, timestamp: Int, body: Data) -> String {
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }
}
