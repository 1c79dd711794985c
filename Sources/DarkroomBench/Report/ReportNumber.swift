import Foundation

/// How the report writes numbers: fixed decimals for measurements, the shortest form for settings.
enum ReportNumber {
    /// `value` with exactly `digits` decimals (`5.93`).
    static func fixed(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// `value` without a trailing `.0` (`10`, `2.5`).
    static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// A fraction as a percentage with two decimals (`1.25 %`).
    static func percent(_ fraction: Double) -> String {
        fixed(fraction * 100, 2) + " %"
    }
}
