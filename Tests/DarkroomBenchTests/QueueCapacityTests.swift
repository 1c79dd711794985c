import DarkroomBench
import Foundation
import Testing

@Suite struct QueueCapacityTests {
    @Test("the limit is slots ÷ mean service, read from GET /v1/queue")
    func limit() throws {
        let body = """
            {"queued":3,"running":2,"slots":2,"busy_slots":2,"completed_per_second":9.5,
             "mean_service_seconds":0.2,"backends":[]}
            """
        let capacity = try JSONDecoder().decode(QueueCapacity.self, from: Data(body.utf8))
        let limit = try #require(capacity.limit)
        #expect(abs(limit.perSecond - 10) < 1e-9)
        #expect(limit.source.contains("2 slots"))
    }

    @Test("no slots or no service time yet means an unknown limit")
    func unknown() {
        #expect(QueueCapacity(slots: 2, meanServiceSeconds: 0).limit == nil)
        #expect(QueueCapacity(slots: 0, meanServiceSeconds: 0.5).limit == nil)
    }
}
