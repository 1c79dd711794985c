import Foundation

/// Durations as the command line writes them: `"120s"`, `"500ms"`, `"2m"`, or bare seconds (`"90"`, `"1.5"`).
///
/// Parsing accepts one non-negative number followed by an optional unit (`ms`, `s`, `m`, `h`); anything else,
/// including negative numbers, is `nil`. Formatting picks the shortest of those forms that reads naturally.
public enum DurationText {
    /// The duration `text` spells, or `nil` when it is not one of the accepted forms.
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var number = Substring(trimmed)
        var scale = 1.0
        // "ms" is tried before "m" and "s", so "500ms" is not read as "500m" followed by junk.
        if let unit = units.first(where: { trimmed.hasSuffix($0.suffix) }) {
            number = number.dropLast(unit.suffix.count)
            scale = unit.seconds
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isNumber || $0 == "." }),
            let value = Double(number), value.isFinite
        else { return nil }
        return .seconds(value * scale)
    }

    /// `duration` as `"500ms"`, `"1.5s"` or `"120s"`: milliseconds below one second, else seconds.
    public static func format(_ duration: Duration) -> String {
        let seconds = duration.inSeconds
        if seconds != 0, abs(seconds) < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        let rounded = (seconds * 1000).rounded() / 1000
        return rounded == rounded.rounded() ? "\(Int(rounded))s" : "\(rounded)s"
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
