import DarkroomCore

/// The lifecycle table (``JobEvent/target(from:)``) as the stores' SQL states it, so a statement that carries out
/// an event names the states the table allows and no others (the conformance suite checks every pair).
extension JobEvent {
    /// The states this event may happen in, as an SQL list: `'queued', 'running'`.
    var sourcesSQL: String { sources.map { "'\($0.rawValue)'" }.joined(separator: ", ") }

    /// The state it leads to, as an SQL literal: `'expired'`. Every event leads to one state from wherever it may
    /// happen.
    var targetSQL: String {
        let targets = Set(sources.compactMap(target(from:)))
        guard targets.count == 1, let target = targets.first else {
            preconditionFailure("\(self) leads to \(targets.count) states")
        }
        return "'\(target.rawValue)'"
    }
}
