/// Fair-share charges (docs/tenants.md, "Fair share") a backend has measured but not yet sent, per tenant.
///
/// A GPU's jobs vary by a few percent around its pace, so most completions carry a small charge of either sign,
/// and most of those cancel out. Sending each would cost the store a statement per job; a tenant's charges are
/// summed here instead and sent once the sum reaches ``threshold`` either way. What stays is less than half a
/// reference portrait per tenant, lost if the worker stops, and a turn moves only for a whole one.
struct PendingCharges: Sendable {
    /// The size, in reference portraits, a tenant's summed charges reach before they are sent.
    static let threshold = 0.5

    private var pending: [String: Double] = [:]

    /// Adds `portraits` to `tenant`'s sum, and returns the sum when it is due to be sent (none is then left
    /// pending); `nil` while it stays below ``threshold``.
    mutating func add(_ portraits: Double, for tenant: String) -> Double? {
        let sum = pending[tenant, default: 0] + portraits
        guard abs(sum) >= Self.threshold else {
            pending[tenant] = sum
            return nil
        }
        pending[tenant] = nil
        return sum
    }

    /// What `tenant` has pending, not yet sent.
    func pending(for tenant: String) -> Double { pending[tenant, default: 0] }
}
