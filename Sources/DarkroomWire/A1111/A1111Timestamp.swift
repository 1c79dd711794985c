import Foundation

/// A1111's `job_timestamp`: `datetime.now().strftime("%Y%m%d%H%M%S")`.
package enum A1111Timestamp {
    /// `date` as `yyyyMMddHHmmss` in `timeZone` (WebUI uses its host's local time).
    package static func string(_ date: Date, timeZone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02d%02d%02d%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0, parts.second ?? 0)
    }
}
