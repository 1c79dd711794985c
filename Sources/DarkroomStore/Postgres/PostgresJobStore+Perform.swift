import DarkroomCore
import Logging
import PostgresNIO

/// How every operation reaches the database: within a time limit, failing fast while the database is known to be
/// down, and never waiting for a query that ignores cancellation.
extension PostgresJobStore {
    /// Runs `body` within `timeout` (default ``operationTimeout``), mapping every failure to ``JobStoreError``.
    ///
    /// The caller is answered by whichever comes first: `body`'s result, the timeout, the store going down
    /// (``StoreHealth``), or the caller's cancellation. In the last three cases `body` is cancelled and left to end
    /// on its own: a query on a connection that never answers keeps its connection until the server or the
    /// network ends it, but no caller waits for it. A timeout or a lost connection marks the store down.
    ///
    /// - Parameter probing: the prober's own call, made while the store is down.
    func perform<T: Sendable>(
        within timeout: Duration? = nil, probing: Bool = false, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let timeout = timeout ?? operationTimeout
        let outcome = FirstOutcome<T>()
        var registration: Int?
        if !probing {
            registration = health.started { detail in outcome.settle(.failure(Self.down(detail))) }
            guard registration != nil else { throw Self.down(health.downDetail ?? "") }
        }
        defer { registration.map(health.finished) }
        let work = Task {
            do {
                outcome.settle(.success(try await body()))
            } catch {
                outcome.settle(.failure(error))
            }
        }
        // One timer a call, for two moments. The pool keeps trying to connect to a stopped server rather than
        // failing the call: a call still unanswered after a moment asks whether the server accepts connections at
        // all. At `timeout`, the call fails.
        let timer = Task { [self] in
            var waited = Duration.zero
            if !probing, Self.suspicionDelay < timeout {
                guard (try? await Task.sleep(for: Self.suspicionDelay)) != nil else { return }
                checkReachable()
                waited = Self.suspicionDelay
            }
            guard (try? await Task.sleep(for: timeout - waited)) != nil else { return }
            outcome.settle(.failure(NoAnswer()))
        }
        defer {
            timer.cancel()
            work.cancel()
        }
        do {
            return try await withTaskCancellationHandler {
                try await outcome.value()
            } onCancel: {
                outcome.settle(.failure(CancellationError()))
            }
        } catch is NoAnswer {
            let detail = "no answer from PostgreSQL within \(timeout)"
            if !probing { health.markDown(detail) }
            throw JobStoreError.unavailable(detail: detail)
        } catch let error as JobStoreError {
            throw error
        } catch let error as TenantDirectoryError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            let interpreted = Self.interpret(error, logger: logger)
            if !probing, Self.meansUnreachable(error), case .unavailable(let detail) = interpreted {
                health.markDown(detail)
            }
            throw interpreted
        }
    }

    /// While the store is down, tries it with backoff (0.1 s doubling to 2 s) until it answers, then marks it up.
    func probeWhileDown() async {
        for await _ in health.probes {
            var delay = Duration.milliseconds(100)
            while health.downDetail != nil {
                guard (try? await Task.sleep(for: delay)) != nil else { return }
                let answered = try? await perform(within: min(operationTimeout, .seconds(2)), probing: true) {
                    [self] in try await client.query("SELECT 1", logger: logger)
                }
                if answered != nil {
                    health.markUp()
                    logger.notice("PostgreSQL answers again")
                }
                delay = min(delay * 2, .seconds(2))
            }
        }
    }

    /// The time limit passed first.
    private struct NoAnswer: Error {}

    private static func down(_ detail: String) -> JobStoreError {
        .unavailable(detail: "PostgreSQL is unreachable (\(detail)); retrying in the background")
    }

    /// The one place native database errors become ``JobStoreError``. PSQLError's description is generic on
    /// purpose, so the log gets `String(reflecting:)`; clients only ever see `store_unavailable`.
    static func interpret(_ error: any Error, logger: Logger) -> JobStoreError {
        if let transaction = error as? PostgresTransactionError {
            if let store = transaction.closureError as? JobStoreError { return store }
            if transaction.closureError is CancellationError { return .unavailable(detail: "canceled") }
        }
        logger.error("Database error", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
        return .unavailable(detail: String(reflecting: error))
    }

    /// Whether `error` says the database cannot be reached (rather than that one statement failed): a closed or
    /// failed connection, the server shutting down or refusing connections (SQLSTATE classes 08 and 57), or the
    /// pool unable to open a connection.
    static func meansUnreachable(_ error: any Error) -> Bool {
        switch error {
        case let transaction as PostgresTransactionError:
            return [transaction.beginError, transaction.closureError, transaction.commitError]
                .contains { $0.map(meansUnreachable) ?? false }
        case let psql as PSQLError:
            switch psql.code {
            case .clientClosedConnection, .serverClosedConnection, .connectionError, .uncleanShutdown: return true
            case .server:
                let state = psql.serverInfo?[.sqlState] ?? ""
                return state.hasPrefix("08") || state.hasPrefix("57")
            default: return false
            }
        case is JobStoreError, is DecodingError, is CancellationError:
            return false
        default:
            // The pool's errors (no connection could be opened) and NIO's channel errors.
            return true
        }
    }
}
