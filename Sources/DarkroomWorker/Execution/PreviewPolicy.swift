import DarkroomBackends
import DarkroomCore
import DarkroomStore
import Synchronization

/// When a running job's backend makes a preview: only while a stream watches the job, and at most once per
/// `interval` (a second by default), so an unwatched job costs its server nothing and a watched one little.
struct PreviewPolicy: Sendable {
    let channel: any PreviewChannel
    let interval: Duration

    /// The sink for one attempt of `job`.
    func sink(for job: Job) -> PreviewSink {
        let lastSent = Mutex<ContinuousClock.Instant?>(nil)
        let channel = self.channel
        let interval = self.interval
        return PreviewSink(
            isWanted: {
                let due = lastSent.withLock { last in last.map { ContinuousClock.now - $0 >= interval } ?? true }
                guard due else { return false }
                return await channel.isWatched(job.id, tenant: job.tenant)
            },
            deliver: { image in
                lastSent.withLock { $0 = .now }
                await channel.publish(
                    JobPreview(
                        jobID: job.id, tenant: job.tenant, step: image.progress.step, steps: image.progress.steps,
                        image: image.data, mediaType: image.mediaType))
            })
    }

    /// The attempt of `job` has ended: its previews go.
    func discard(_ job: Job) async {
        await channel.discard(job.id)
    }
}
