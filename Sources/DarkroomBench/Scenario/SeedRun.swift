import Foundation

/// One run of `darkroom bench --scenario seed`: which server the scenario starts and how the bench talks to it.
///
/// Each run is a child `darkroom` process on loopback with a port the kernel picks; ``arguments(simSeconds:dataDirectory:)``
/// is its command line after the executable.
public enum SeedRun: String, Sendable, CaseIterable {
    /// One simulated SD WebUI (A1111) server: one generation at a time, users hit it directly.
    case webui
    /// `darkroom serve` with one simulated GPU.
    case darkroom1 = "darkroom-1"
    /// `darkroom serve` with three simulated GPUs.
    case darkroom3 = "darkroom-3"

    /// The name in the table and in `--scenario-runs`.
    public var name: String { rawValue }

    /// GPU slots behind the server, each generating one image at a time.
    public var slots: Int {
        switch self {
        case .webui, .darkroom1: 1
        case .darkroom3: 3
        }
    }

    public var `protocol`: BenchProtocol {
        self == .webui ? .a1111 : .darkroom
    }

    /// Whether the server keeps state in a data directory (a fresh one per run).
    public var needsDataDirectory: Bool { self != .webui }

    /// The child's arguments; `dataDirectory` is used by the Darkroom runs only.
    public func arguments(simSeconds: Double, dataDirectory: URL) -> [String] {
        let seconds = String(simSeconds)
        switch self {
        case .webui:
            return ["sim-backend", "--protocol", "a1111", "--host", "127.0.0.1", "--port", "0", "--seconds", seconds]
        case .darkroom1, .darkroom3:
            return [
                "serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", dataDirectory.path,
                "--sim-gpus", String(slots), "--sim-seconds", seconds,
            ]
        }
    }

    /// Parses `webui,darkroom-1,darkroom-3` (any subset, in any order; run in the order given, without repeats).
    public static func list(_ text: String) throws(BenchConfigurationError) -> [SeedRun] {
        var runs: [SeedRun] = []
        for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let run = SeedRun(rawValue: name) else {
                let known = allCases.map(\.name).joined(separator: ", ")
                throw .invalid("--scenario-runs: \"\(name)\" is not a run (\(known))")
            }
            if !runs.contains(run) { runs.append(run) }
        }
        guard !runs.isEmpty else { throw .invalid("--scenario-runs must name at least one run") }
        return runs
    }
}
