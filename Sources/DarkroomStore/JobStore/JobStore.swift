/// A whole store, one database behind four narrower seams: the ``JobQueue``, the ``WorkerRegistry``, the
/// ``WebhookOutbox`` and the ``TenantDirectory``. Each seam has its own contract and conformance suite; a component
/// takes the narrowest one it uses, so a wrapper (timing, test doubles) forwards only what it changes.
///
/// `SQLiteJobStore` (embedded) and `PostgresJobStore` (cluster) are the two conformers.
public protocol JobStore: JobQueue, WorkerRegistry, WebhookOutbox, TenantDirectory {
    /// Applies pending schema migrations; safe to call at every start.
    func migrate() async throws
}
