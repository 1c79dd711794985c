/// The stable codes of problems the HTTP layer itself reports (validation codes come from ``DarkroomCore/ValidationError``).
enum ProblemCode: String {
    case malformedJSON = "malformed_json"
    case invalidType = "invalid_type"
    case missingField = "missing_field"
    case unknownField = "unknown_field"
    case invalidValue = "invalid_value"
    case invalidParameter = "invalid_parameter"
    case bodyTooLarge = "body_too_large"
    case jobNotFound = "job_not_found"
    case imageNotFound = "image_not_found"
    case routeNotFound = "route_not_found"
    case methodNotAllowed = "method_not_allowed"
    case jobConflict = "job_conflict"
    case idempotencyKeyReused = "idempotency_key_reused"
    case storeUnavailable = "store_unavailable"
    case notReady = "not_ready"
    case internalError = "internal_error"
}
