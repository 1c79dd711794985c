/// A ``SimulatorConfiguration`` value that cannot work.
public enum SimulatorConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Seconds per image is negative or not finite.
    case negativeSeconds(Double)
    /// A failure or OOM rate outside 0…1.
    case rateOutOfRange(name: String, value: Double)
    /// A model file name that is empty, absolute or climbs out of its folder.
    case badFileName(String)
    /// Less than 1 GiB of simulated GPU memory.
    case tooLittleMemory(Int64)
    /// A PNG size below 0 or above ``SimulatorConfiguration/maxPNGBytes``.
    case pngSizeOutOfRange(Int)

    public var description: String {
        switch self {
        case .negativeSeconds(let value): "seconds per image must be a finite number >= 0 (got \(value))"
        case .rateOutOfRange(let name, let value): "the \(name) must be within 0…1 (got \(value))"
        case .badFileName(let name): "model file names must be plain relative names (got \(name.debugDescription))"
        case .tooLittleMemory(let bytes): "the simulated GPU needs at least 1 GiB of memory (got \(bytes) bytes)"
        case .pngSizeOutOfRange(let bytes):
            "the PNG size must be within 0…\(SimulatorConfiguration.maxPNGBytes) bytes (got \(bytes))"
        }
    }
}
