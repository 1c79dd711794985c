/// Why a tenant's settings were refused: the setting at fault and the rule it broke.
public struct TenantSettingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The setting, in the API's snake_case names (`name`, `weight`, `max_queued`…).
    public var field: String
    /// A sentence for people.
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
