/// Why a scenario could not run one of its servers.
public enum ScenarioError: Error, CustomStringConvertible {
    /// The child exited before it logged where it listens.
    case serverExited(arguments: [String], log: String)
    /// The child did not log where it listens within the wait.
    case serverSilent(arguments: [String], waited: Duration, log: String)

    /// Stable snake_case code.
    public var code: String {
        switch self {
        case .serverExited: "server_exited"
        case .serverSilent: "server_silent"
        }
    }

    public var description: String {
        switch self {
        case .serverExited(let arguments, let log):
            "darkroom \(arguments.joined(separator: " ")) exited before listening\n--- its log ---\n\(log)"
        case .serverSilent(let arguments, let waited, let log):
            "darkroom \(arguments.joined(separator: " ")) did not say where it listens within \(waited)\n"
                + "--- its log ---\n\(log)"
        }
    }
}
