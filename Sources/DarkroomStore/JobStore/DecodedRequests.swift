import DarkroomCore
import Foundation
import Synchronization

/// Requests already decoded, by their stored JSON text.
///
/// A job's request never changes once it is queued, yet every read of its row (the claim, each heartbeat, the
/// completion, the change feed, every event stream) decoded it again: JSONDecoder was 5–6 % of a gateway's and a
/// worker's CPU under load (docs/benchmarks.md). Keyed by the text itself, an entry can never be stale: the same
/// text always decodes to the same request. Bounded: emptied whenever it reaches ``capacity``.
final class DecodedRequests: Sendable {
    /// The one cache each process's stores share.
    static let shared = DecodedRequests()

    /// The most requests kept: well above the jobs one process has in flight.
    let capacity: Int
    private let requests = Mutex<[String: GenerationRequest]>([:])

    init(capacity: Int = 4_096) {
        self.capacity = max(1, capacity)
    }

    /// The request stored as `json`.
    ///
    /// - Throws: the decoder's error when `json` is not a request.
    func request(fromJSON json: String) throws -> GenerationRequest {
        if let known = requests.withLock({ $0[json] }) { return known }
        let request = try JSONDecoder().decode(GenerationRequest.self, from: Data(json.utf8))
        remember(request, asJSON: json)
        return request
    }

    /// Notes that `json` is `request` encoded, as a store does when it writes a new job: the job's rows then
    /// come back without a decode. `json` must be what `JSONEncoder` made of `request` (encoding loses nothing,
    /// so decoding it gives `request` back).
    func remember(_ request: GenerationRequest, asJSON json: String) {
        requests.withLock { requests in
            if requests.count >= capacity { requests.removeAll(keepingCapacity: true) }
            requests[json] = request
        }
    }
}
