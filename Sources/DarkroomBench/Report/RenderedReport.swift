import Foundation

/// A report `darkroom bench` prints and writes: a plain-text table, the same in Markdown, and JSON.
public protocol RenderedReport {
    /// For a terminal.
    var text: String { get }
    /// For docs/benchmarks.md.
    var markdown: String { get }
    /// Pretty-printed JSON with sorted keys.
    func jsonData() throws -> Data
}

extension BenchReport: RenderedReport {}
extension ScenarioReport: RenderedReport {}
extension ControlPlaneReport: RenderedReport {}
