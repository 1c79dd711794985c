import DarkroomCore
import Metrics
import Synchronization

/// Usage by tenant: `darkroom_tenant_gpu_seconds_total{tenant}` and `darkroom_tenant_jobs_total{tenant,state}`.
///
/// The label set stays bounded: the first ``MetricNames/tenantLabelLimit`` tenants this process sees keep their
/// name, every later one counts under `other`. A counter cannot move between labels, so a tenant keeps the label
/// it was first given; `GET /v1/usage` has every tenant exactly.
final class TenantMetrics: Sendable {
    private let factory: any MetricsFactory
    private let limit: Int
    private let gpuSeconds = MetricCache<FloatingPointCounter>()
    private let jobs = MetricCache<Counter>()
    private let named = Mutex<Set<String>>([])

    init(factory: any MetricsFactory, limit: Int = MetricNames.tenantLabelLimit) {
        self.factory = factory
        self.limit = limit
    }

    /// A slot spent `seconds` on an attempt of `tenant`'s.
    func spentGPU(_ seconds: Double, tenant: String) {
        let label = label(for: tenant)
        gpuSeconds.metric(label) {
            FloatingPointCounter(
                label: MetricNames.tenantGPUSeconds, dimensions: [(MetricNames.Label.tenant, label)], factory: factory)
        }
        .increment(by: max(0, seconds))
    }

    /// One of `tenant`'s jobs ended `state` on this worker.
    func jobFinished(state: JobState, tenant: String) {
        let label = label(for: tenant)
        jobs.metric("\(label)|\(state.rawValue)") {
            Counter(
                label: MetricNames.tenantJobs,
                dimensions: [(MetricNames.Label.tenant, label), (MetricNames.Label.state, state.rawValue)],
                factory: factory)
        }
        .increment()
    }

    /// `tenant`, or `other` once ``limit`` other tenants have their own label.
    func label(for tenant: String) -> String {
        named.withLock { named in
            if named.contains(tenant) { return tenant }
            guard named.count < limit else { return "other" }
            named.insert(tenant)
            return tenant
        }
    }
}
