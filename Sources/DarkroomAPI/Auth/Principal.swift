import DarkroomCore

/// Who a request acts as: the tenant whose jobs it submits and sees, and whether it may manage tenants and keys.
///
/// Set for each request by ``AuthenticationGate``, from the request's key, or to ``open`` while authentication
/// is off. Handlers read it as ``current`` at their start (a response body streamed later no longer sees it).
public struct Principal: Sendable, Equatable {
    /// The tenant whose jobs it submits, and (unless ``seesEveryTenant``) the only tenant whose jobs it sees.
    public var tenant: String
    /// Whether it may use the admin API.
    public var isAdmin: Bool
    /// Whether it sees every tenant's jobs: only in the open single-user mode.
    public var seesEveryTenant: Bool

    public init(tenant: String, isAdmin: Bool = false, seesEveryTenant: Bool = false) {
        self.tenant = tenant
        self.isAdmin = isAdmin
        self.seesEveryTenant = seesEveryTenant
    }

    /// Authentication off: everything is allowed, and new jobs belong to ``Tenant/defaultName``.
    public static let open = Principal(tenant: Tenant.defaultName, isAdmin: true, seesEveryTenant: true)

    /// Sees nothing and may do nothing: what a request runs as where no gate set a principal, so a route
    /// registered outside the gate fails closed.
    static let nobody = Principal(tenant: "")

    /// The principal of the request being handled.
    @TaskLocal static var current: Principal = .nobody

    /// Whether this principal may see, stream and cancel `job`.
    func canSee(_ job: Job) -> Bool { seesEveryTenant || (!tenant.isEmpty && job.tenant == tenant) }

    /// The tenant to list jobs of: `nil` (every tenant) only in the open mode.
    var listedTenant: String? { seesEveryTenant ? nil : tenant }
}
