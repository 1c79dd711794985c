/// A ``BenchConfiguration`` that cannot run.
public enum BenchConfigurationError: Error, Equatable, CustomStringConvertible {
    /// A setting is out of range; the text names the command-line flag.
    case invalid(String)

    /// A stable snake_case code.
    public var code: String {
        switch self {
        case .invalid: "invalid_bench_configuration"
        }
    }

    public var description: String {
        switch self {
        case .invalid(let reason): reason
        }
    }
}
