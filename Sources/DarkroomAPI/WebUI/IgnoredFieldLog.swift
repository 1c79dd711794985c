import Logging
import Synchronization

/// Logs each A1111 field Darkroom ignores once per process, not once per request.
///
/// Bounded: it remembers at most ``remembered`` names (a client inventing keys cannot grow it) and names at
/// most ``perLine`` in one log line.
final class IgnoredFieldLog: Sendable {
    static let remembered = 256
    static let perLine = 20

    private let seen = Mutex<Set<String>>([])
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Logs the fields of `names` not logged before.
    func note(_ names: [String], route: String) {
        let new = seen.withLock { seen in
            names.prefix(Self.perLine).filter { seen.count < Self.remembered && seen.insert("\(route) \($0)").inserted }
        }
        guard !new.isEmpty else { return }
        logger.notice(
            "A1111 fields ignored (logged once)",
            metadata: ["route": "\(route)", "fields": "\(new.sorted().joined(separator: ","))"])
    }
}
