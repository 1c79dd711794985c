import AsyncHTTPClient
import Foundation
import NIOCore

/// Reads one sample of a server's Prometheus `/metrics`: the value of the line whose name and labels are `series`
/// exactly (e.g. `darkroom_gpu_seconds_total{outcome="expired"}`); 0 when the server has not written it yet
/// (a counter appears with its first increment).
struct ServerCounter: Sendable {
    let metricsURL: URL
    let series: String

    func read() async throws -> Double {
        let request = HTTPClientRequest(url: metricsURL.absoluteString)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 16 << 20)
        return Self.value(of: series, in: String(buffer: body))
    }

    /// The value of `series` in an exposition text; 0 when absent.
    static func value(of series: String, in text: String) -> Double {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1).split(separator: " ").first ?? "") ?? 0
        }
        return 0
    }
}
