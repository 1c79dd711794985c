import AsyncHTTPClient
import NIOCore

extension BackendError {
    /// Maps an error thrown while talking to a server to what ``Backend/generate(_:progress:)`` throws.
    ///
    /// - Cancellation (`CancellationError`, AsyncHTTPClient's `.cancelled`) stays `CancellationError`.
    /// - Every kind of timeout becomes ``timedOut``.
    /// - An answer bigger than the cap becomes ``badResponse(_:)``.
    /// - Anything else while connecting or reading (refused, reset, closed early, DNS) becomes
    ///   ``unavailable(_:)``: NIOPosix's connect errors are not visible to this module, so unknown errors land here.
    static func mapTransport(_ error: any Error) -> any Error {
        switch error {
        case is CancellationError, is BackendError:
            return error
        case let error as HTTPClientError:
            return mapClientError(error)
        case let error as ChannelError:
            if case .connectTimeout = error { return BackendError.timedOut }
            return BackendError.unavailable("connection failed: \(error)")
        case let error as NIOTooManyBytesError:
            return BackendError.badResponse("the answer is larger than \(error.maxBytes ?? 0) bytes")
        default:
            return BackendError.unavailable(String(describing: error))
        }
    }

    private static func mapClientError(_ error: HTTPClientError) -> any Error {
        switch error {
        case .cancelled:
            return CancellationError()
        case .readTimeout, .writeTimeout, .connectTimeout, .deadlineExceeded, .getConnectionFromPoolTimeout,
            .tlsHandshakeTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout:
            return BackendError.timedOut
        case .remoteConnectionClosed:
            return BackendError.unavailable("the server closed the connection before answering")
        default:
            return BackendError.unavailable(error.description)
        }
    }
}

extension BackendError {
    /// The most specific text for logs and health problems: the detail the case carries, else ``message``.
    var detail: String {
        switch self {
        case .unavailable(let detail), .badResponse(let detail), .rejected(let detail), .executionFailed(let detail),
            .gpuFault(let detail):
            detail
        default:
            message
        }
    }
}
