import DarkroomBench
import Foundation
import Testing

@Suite struct ObservedJobTests {
    private let finished = Data(
        """
        {"id":"01J","state":"succeeded","priority":5,"created_at":"2026-11-26T10:00:00.100Z",
         "started_at":"2026-11-26T10:00:00.350Z","finished_at":"2026-11-26T10:00:00.550Z","images":[]}
        """.utf8)

    @Test("reads id, state and fractional-second timestamps")
    func decodes() throws {
        let job = try ObservedJob.decode(finished)
        #expect(job.id == "01J" && job.isTerminal && job.isSucceeded)
        let created = try #require(job.createdAt)
        let finishedAt = try #require(job.finishedAt)
        #expect(abs(finishedAt.timeIntervalSince(created) - 0.45) < 0.000_001)
    }

    @Test("timestamps without fractions parse; a missing one is nil; queued is not terminal")
    func partial() throws {
        let job = try ObservedJob.decode(Data(#"{"id":"a","state":"queued","created_at":"2026-11-26T10:00:00Z"}"#.utf8))
        #expect(job.createdAt != nil && job.startedAt == nil)
        #expect(!job.isTerminal)
        #expect(try ObservedJob.decode(Data(#"{"id":"a","state":"canceled"}"#.utf8)).isTerminal)
    }

    @Test("the job timing splits queue wait, service and detection lag")
    func timing() throws {
        let job = try ObservedJob.decode(finished)
        let observed = try #require(job.finishedAt).addingTimeInterval(0.004)
        let timing = try #require(
            JobTiming(
                createdAt: job.createdAt, startedAt: job.startedAt, finishedAt: job.finishedAt, observedAt: observed))
        #expect(abs(timing.queueWait.inSecondsForTest - 0.25) < 0.000_001)
        #expect(abs(timing.service.inSecondsForTest - 0.2) < 0.000_001)
        #expect(abs(timing.detectionLag.inSecondsForTest - 0.004) < 0.000_001)
        let skewed = JobTiming(
            createdAt: job.createdAt, startedAt: job.startedAt, finishedAt: job.finishedAt,
            observedAt: try #require(job.finishedAt).addingTimeInterval(-1))
        #expect(skewed?.detectionLag == .zero, "clock skew never gives a negative lag")
        #expect(JobTiming(createdAt: nil, startedAt: nil, finishedAt: nil, observedAt: observed) == nil)
    }
}

extension Duration {
    var inSecondsForTest: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
