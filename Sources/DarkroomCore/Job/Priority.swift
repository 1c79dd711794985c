/// Job priority: an integer 0…9, higher runs first.
public enum Priority {
    public static let range = 0...9
    public static let `default` = 5

    /// The priority to use, or ``ValidationError/invalidPriority(_:)`` when it is out of range.
    public static func validated(_ value: Int?) throws(ValidationError) -> Int {
        let value = value ?? Self.default
        guard range.contains(value) else { throw .invalidPriority(value) }
        return value
    }
}
