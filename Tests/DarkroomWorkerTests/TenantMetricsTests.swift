import DarkroomCore
import Metrics
import MetricsTestKit
import Testing

@testable import DarkroomWorker

/// Usage by tenant, with a bounded label set.
struct TenantMetricsTests {
    @Test("each tenant's GPU seconds and ended jobs count under its name; past the limit, under other")
    func boundedLabels() throws {
        let factory = TestMetrics()
        let metrics = TenantMetrics(factory: factory, limit: 2)
        metrics.spentGPU(1.5, tenant: "acme")
        metrics.spentGPU(2.5, tenant: "acme")
        metrics.jobFinished(state: .succeeded, tenant: "beta")
        metrics.spentGPU(4, tenant: "gamma")
        metrics.spentGPU(1, tenant: "delta")
        metrics.jobFinished(state: .failed, tenant: "gamma")
        #expect(try factory.expectCounter(MetricNames.tenantGPUSeconds, [("tenant", "acme")]).totalValue == 4)
        #expect(
            try factory.expectCounter(MetricNames.tenantJobs, [("tenant", "beta"), ("state", "succeeded")]).totalValue
                == 1)
        // gamma and delta came after acme and beta took the two labels.
        #expect(try factory.expectCounter(MetricNames.tenantGPUSeconds, [("tenant", "other")]).totalValue == 5)
        #expect(
            try factory.expectCounter(MetricNames.tenantJobs, [("tenant", "other"), ("state", "failed")]).totalValue
                == 1)
        #expect(metrics.label(for: "acme") == "acme")
    }
}
