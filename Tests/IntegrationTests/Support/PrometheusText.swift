/// One sample line of the Prometheus text exposition format: `name{label="value",…} value [timestamp]`.
struct PrometheusSample: Sendable {
    var name: String
    var labels: [String: String]
    var value: Double
}

/// A strict reader of Prometheus text: every line that is not blank or a `#` comment must be a sample.
enum PrometheusText {
    struct ParseError: Error, CustomStringConvertible {
        var line: String
        var reason: String

        var description: String { "not a Prometheus sample (\(reason)): \(line)" }
    }

    static func parse(_ text: String) throws -> [PrometheusSample] {
        try text.split(separator: "\n", omittingEmptySubsequences: true)
            .filter { !$0.hasPrefix("#") && !$0.allSatisfy(\.isWhitespace) }
            .map { try sample(String($0)) }
    }

    /// The sum of `name` over the samples whose labels include all of `matching`.
    static func sum(_ samples: [PrometheusSample], _ name: String, matching: [String: String] = [:]) -> Double {
        samples.filter { sample in
            sample.name == name && matching.allSatisfy { sample.labels[$0.key] == $0.value }
        }.reduce(0) { $0 + $1.value }
    }

    private static func sample(_ line: String) throws -> PrometheusSample {
        var rest = Substring(line)
        let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }
        guard let first = name.first, !first.isNumber else { throw ParseError(line: line, reason: "bad metric name") }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let key = rest.prefix { $0 != "=" }
                rest = rest.dropFirst(key.count)
                guard !key.isEmpty, rest.hasPrefix("=\"") else { throw ParseError(line: line, reason: "bad label") }
                rest = rest.dropFirst(2)
                var value = ""
                while let character = rest.first, character != "\"" {
                    rest = rest.dropFirst()
                    if character == "\\", let escaped = rest.first {
                        value.append(escaped == "n" ? "\n" : escaped)
                        rest = rest.dropFirst()
                    } else {
                        value.append(character)
                    }
                }
                guard rest.first == "\"" else { throw ParseError(line: line, reason: "unterminated label value") }
                rest = rest.dropFirst()
                labels[String(key)] = value
                if rest.first == "," { rest = rest.dropFirst() }
                guard !rest.isEmpty else { throw ParseError(line: line, reason: "unterminated labels") }
            }
            rest = rest.dropFirst()
        }
        let fields = rest.split(separator: " ")
        guard rest.first == " ", (1...2).contains(fields.count), let value = Double(fields[0]) else {
            throw ParseError(line: line, reason: "bad value")
        }
        if fields.count == 2, Int(fields[1]) == nil { throw ParseError(line: line, reason: "bad timestamp") }
        return PrometheusSample(name: String(name), labels: labels, value: value)
    }
}
