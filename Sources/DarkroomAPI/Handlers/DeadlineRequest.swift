import DarkroomCore
import Foundation
import HTTPTypes

/// The deadline a REST submit asks for: `deadline_seconds` in the body, else the `Request-Timeout` header
/// (whole seconds), else the server's default; each relative to the job's acceptance.
enum DeadlineRequest {
    /// The seconds a client may ask for: up to a day.
    static let seconds = 1...86_400

    /// The deadline for a job accepted at `accepted`, or `nil` for none.
    ///
    /// - Throws: a 422 ``Problem`` `invalid_parameter` naming the field or header out of range or unreadable.
    static func deadline(
        body: Int?, header: String?, default fallback: Duration?, accepted: Date
    ) throws(Problem) -> Date? {
        if let body {
            guard seconds.contains(body) else { throw outOfRange("deadline_seconds") }
            return accepted.addingTimeInterval(TimeInterval(body))
        }
        if let header {
            let trimmed = header.trimmingCharacters(in: .whitespaces)
            guard let value = Int(trimmed), seconds.contains(value) else { throw outOfRange("Request-Timeout") }
            return accepted.addingTimeInterval(TimeInterval(value))
        }
        return fallback.map { accepted.addingTimeInterval($0.seconds) }
    }

    private static func outOfRange(_ field: String) -> Problem {
        Problem(
            .unprocessableContent, .invalidParameter,
            detail: "\(field) must be a whole number of seconds within 1…86400", field: field)
    }
}
