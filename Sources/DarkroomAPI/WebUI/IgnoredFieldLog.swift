import Logging
import Synchronization

/// Logs each A1111 field Darkroom ignores once per process, not once per request.
final class IgnoredFieldLog: Sendable {
    private let seen = Mutex<Set<String>>([])
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Logs the fields of `names` not logged before.
    func note(_ names: [String], route: String) {
        let new = seen.withLock { seen in names.filter { seen.insert("\(route) \($0)").inserted } }
        guard !new.isEmpty else { return }
        logger.notice(
            "A1111 fields ignored (logged once)",
            metadata: ["route": "\(route)", "fields": "\(new.sorted().joined(separator: ","))"])
    }
}
