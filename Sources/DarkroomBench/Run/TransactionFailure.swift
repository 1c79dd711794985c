import AsyncHTTPClient

/// Why a transaction failed: the kind the report counts, and a detail for the log.
struct TransactionFailure: Error, CustomStringConvertible {
    var kind: ErrorKind
    var detail: String
    /// A 429's `Retry-After` in seconds, when it carried a valid one.
    var retryAfterSeconds: Int?

    var description: String { "\(kind.code): \(detail)" }

    /// The kind of a transport error: AsyncHTTPClient's read timeouts are `timeout`, everything else (refused,
    /// reset, closed early, DNS) is `connection`.
    init(transport error: any Error) {
        if let failure = error as? TransactionFailure {
            self = failure
            return
        }
        if let error = error as? HTTPClientError, [.readTimeout, .deadlineExceeded, .writeTimeout].contains(error) {
            self.init(kind: .timeout, detail: "\(error)")
        } else {
            self.init(kind: .connection, detail: String(describing: error))
        }
    }

    init(kind: ErrorKind, detail: String) {
        self.kind = kind
        self.detail = detail
    }

    /// A non-2xx answer: 429 is `rejected` (with the `Retry-After` it asked for), any other is `http_<status>`.
    static func status(_ status: Int, retryAfter: String?) -> TransactionFailure {
        guard status == 429 else { return TransactionFailure(kind: .http(status: status), detail: "HTTP \(status)") }
        var failure = TransactionFailure(kind: .rejected, detail: "HTTP 429, Retry-After \(retryAfter ?? "absent")")
        failure.retryAfterSeconds = retryAfter.flatMap { Int($0) }.flatMap { $0 >= 0 ? $0 : nil }
        return failure
    }
}
