import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes

/// `GET /v1/usage`: each tenant's GPU seconds and ended jobs per UTC day.
extension APIHandler {
    func getUsage(_ input: Operations.GetUsage.Input) async throws -> Operations.GetUsage.Output {
        let principal = Principal.current
        let today = UsageDays.day(of: configuration.wallClock())
        guard let last = UsageDays.parse(input.query.to, default: today) else {
            return .badRequest(UsageDays.unreadable("to").response)
        }
        guard let first = UsageDays.parse(input.query.from, default: last - 6 * 86_400) else {
            return .badRequest(UsageDays.unreadable("from").response)
        }
        guard first <= last, last - first < 366 * 86_400 else {
            return .unprocessableContent(
                Problem(
                    .unprocessableContent, .invalidParameter,
                    detail: "from must not be after to, and they may span at most 366 days", field: "from"
                ).response)
        }
        let everyone = principal.isAdmin || principal.seesEveryTenant
        let tenant = everyone ? input.query.tenant : principal.tenant
        if !everyone, let named = input.query.tenant, named != principal.tenant {
            // Another tenant's name is as unknown as a name no tenant has: its use is simply absent.
            return .ok(.init(body: .json(.init(from: UsageDays.text(first), to: UsageDays.text(last), days: []))))
        }
        let days = try await gateway.tenants.usage(
            tenant: tenant, from: Date(timeIntervalSince1970: first), to: Date(timeIntervalSince1970: last + 86_400))
        return .ok(
            .init(
                body: .json(
                    .init(
                        from: UsageDays.text(first), to: UsageDays.text(last),
                        days: days.map { day in
                            .init(
                                tenant: day.tenant, date: UsageDays.text(day.day.timeIntervalSince1970),
                                gpuSeconds: day.gpuSeconds,
                                jobs: .init(
                                    succeeded: day.succeeded, failed: day.failed, canceled: day.canceled,
                                    expired: day.expired))
                        }))))
    }
}

/// UTC days as `/v1/usage` reads and writes them: `YYYY-MM-DD`, held as the day's first second since 1970.
enum UsageDays {
    /// The start of the UTC day of `date`.
    static func day(of date: Date) -> Double { floor(date.timeIntervalSince1970 / 86_400) * 86_400 }

    /// The refusal of a `field` that is not a date.
    static func unreadable(_ field: String) -> Problem {
        Problem(.badRequest, .invalidParameter, detail: "\(field) is a date written YYYY-MM-DD", field: field)
    }

    /// The day `text` names, `fallback` when absent; `nil` when it is not a date.
    static func parse(_ text: String?, default fallback: Double) -> Double? {
        guard let text else { return fallback }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]),
            let day = Int(parts[2]), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var components = DateComponents(year: year, month: month, day: day)
        components.timeZone = TimeZone(identifier: "UTC")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: components),
            calendar.component(.day, from: date) == day
        else { return nil }
        return date.timeIntervalSince1970
    }

    /// `YYYY-MM-DD` of the UTC day that starts at `seconds`.
    static func text(_ seconds: Double) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: seconds))
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}
