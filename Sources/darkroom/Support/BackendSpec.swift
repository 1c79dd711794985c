import ArgumentParser
import Foundation

/// One `--backend KIND=URL` value: an inference server a worker drives.
struct BackendSpec: ExpressibleByArgument, Sendable {
    /// The protocols Darkroom speaks.
    enum Kind: String, CaseIterable, Sendable {
        case a1111
        case comfyui
    }

    var kind: Kind
    var url: URL

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="),
            let kind = Kind(rawValue: argument[..<equals].lowercased()),
            let url = URL(string: String(argument[argument.index(after: equals)...])),
            let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil
        else { return nil }
        self.kind = kind
        self.url = url
    }

    /// The backend's id in jobs, leases, logs and metrics: `a1111@gpu1:7860`.
    var id: String {
        "\(kind.rawValue)@\(url.host ?? "?"):\(url.port ?? (url.scheme == "https" ? 443 : 80))"
    }

    static var defaultValueDescription: String { "KIND=URL" }
}
