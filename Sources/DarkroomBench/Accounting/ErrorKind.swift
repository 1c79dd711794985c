/// Why a transaction failed, as the report counts it.
///
/// Each kind has a stable ``code``: `timeout`, `rejected`, `expired`, `http_<status>`, `failed`, `connection`.
public enum ErrorKind: Sendable, Hashable {
    /// The transaction took longer than `--timeout` (the client gave up, as the seed's Locust test does).
    case timeout
    /// The target answered 429 Too Many Requests (with `--honour-retry-after` the user retries after its
    /// `Retry-After`, and the retry is a transaction of its own).
    case rejected
    /// A Darkroom job ended `expired`: its deadline (`--deadline`) passed before it finished.
    case expired
    /// Any other answer outside 2xx, or a 2xx that is not the expected one.
    case http(status: Int)
    /// The work ended without an image: a Darkroom job that ended `failed` or `canceled`, or an A1111 200
    /// whose `images` array is empty.
    case failed
    /// The transport failed: refused, reset, closed early, a malformed answer or event stream.
    case connection

    /// The key in `errors_by_kind`.
    public var code: String {
        switch self {
        case .timeout: "timeout"
        case .rejected: "rejected"
        case .expired: "expired"
        case .http(let status): "http_\(status)"
        case .failed: "failed"
        case .connection: "connection"
        }
    }
}
