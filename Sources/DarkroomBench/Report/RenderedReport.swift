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

extension RenderedReport where Self: Encodable {
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

extension BenchReport: RenderedReport {}
extension ScenarioReport: RenderedReport {}
extension OverloadReport: RenderedReport {}
extension ControlPlaneReport: RenderedReport {}
