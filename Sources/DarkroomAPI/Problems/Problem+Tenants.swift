import DarkroomCore
import DarkroomStore
import HTTPTypes

/// The problems of the admin API (`/v1/admin`).
extension Problem {
    /// A key that is not an admin key on `/v1/admin`.
    static let adminRequired = Problem(
        .forbidden, .adminRequired, detail: "only an admin key (darkroom keys create --admin) may manage tenants")

    /// A body the generated decoder could not read as the operation's type.
    static let unreadableBody = Problem(.badRequest, .malformedJSON, detail: "the body is not the expected JSON")

    init(_ error: TenantSettingError) {
        self.init(.unprocessableContent, .invalidValue, detail: error.message, field: error.field)
    }

    init(_ error: TenantDirectoryError) {
        let status: HTTPResponse.Status =
            switch error {
            case .tenantExists, .keyExists: .conflict
            case .tenantNotFound, .keyNotFound: .notFound
            }
        self.init(status, code: error.code, detail: error.description)
    }
}
