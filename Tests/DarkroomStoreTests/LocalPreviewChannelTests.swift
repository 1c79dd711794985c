import DarkroomCore
import DarkroomStore
import Foundation
import Synchronization
import Testing

/// `LocalPreviewChannel`: who watches, who gets which preview, and that a cancelled subscription stops both.
@Suite struct LocalPreviewChannelTests {
    private func preview(_ job: JobID, tenant: String, step: Int = 1) -> JobPreview {
        JobPreview(jobID: job, tenant: tenant, step: step, steps: 8, image: Data([0x89]), mediaType: "image/png")
    }

    @Test("a preview reaches the job's watcher and its tenant's, not another tenant's; unwatched jobs are known")
    func deliversByWatch() async throws {
        let channel = LocalPreviewChannel()
        let job = JobID.generate(now: Date())
        let other = JobID.generate(now: Date())
        let received = Mutex<[String: [Int]]>([:])
        let record = { (name: String) in
            { @Sendable (preview: JobPreview) in received.withLock { $0[name, default: []].append(preview.step) } }
        }
        let byJob = channel.subscribe(.job(job), deliver: record("job"))
        let byTenant = channel.subscribe(.tenant("acme"), deliver: record("acme"))
        let byOtherTenant = channel.subscribe(.tenant("globex"), deliver: record("globex"))
        let everyone = channel.subscribe(.everyone, deliver: record("everyone"))

        #expect(await channel.isWatched(job, tenant: "acme"))
        await channel.publish(preview(job, tenant: "acme", step: 3))
        await channel.publish(preview(other, tenant: "acme", step: 4))
        #expect(received.withLock { $0 } == ["job": [3], "acme": [3, 4], "everyone": [3, 4]])

        for subscription in [byJob, byTenant, byOtherTenant, everyone] { subscription.cancel() }
        #expect(!(await channel.isWatched(job, tenant: "acme")))
        await channel.publish(preview(job, tenant: "acme", step: 5))
        #expect(received.withLock { $0["job"] } == [3])
    }

    @Test("a released subscription stops watching")
    func releaseStops() async throws {
        let channel = LocalPreviewChannel()
        let job = JobID.generate(now: Date())
        do {
            let subscription = channel.subscribe(.job(job)) { _ in }
            #expect(await channel.isWatched(job, tenant: "acme"))
            _ = subscription
        }
        #expect(!(await channel.isWatched(job, tenant: "acme")))
    }
}
