import DarkroomCore
import Testing

struct WorkerDemandTests {
    /// Three workers of two slots each; 0.8 s per image; a 30 s target.
    private func demand(queued: Int, running: Int, completed: Double, service: Double = 0.8) -> WorkerDemand {
        WorkerDemand(
            queued: queued, running: running, completedPerSecond: completed, meanServiceSeconds: service,
            latencyTargetSeconds: 30, capacity: Capacity(slots: 6, busySlots: running, workers: 3))
    }

    @Test("a backlog asks for the workers that clear it within the target")
    func backlog() {
        // 500 jobs × 0.8 s ÷ 30 s = 13.3 slots → 7 workers of 2 slots.
        let backlog = demand(queued: 494, running: 6, completed: 7.5)
        #expect(backlog.slotsPerWorker == 2)
        #expect(backlog.slotsNeeded.map { abs($0 - 13.333) < 0.01 } == true)
        #expect(backlog.desiredWorkers == 7)
    }

    @Test("a steady stream asks for the slots that keep up with it, even with a short queue")
    func steady() {
        // 7.5 jobs/s × 0.8 s = 6 slots, more than the 10 queued need within 30 s.
        #expect(demand(queued: 4, running: 6, completed: 7.5).desiredWorkers == 3)
    }

    @Test("refused submits count as demand: shedding does not hide the load from the autoscaler")
    func refusedDemand() {
        // Served: 7.5 jobs/s needs 6 slots (3 workers); 7.5 more refused each second need 6 more slots.
        let shedding = WorkerDemand(
            queued: 4, running: 6, completedPerSecond: 7.5, meanServiceSeconds: 0.8, latencyTargetSeconds: 30,
            capacity: Capacity(slots: 6, busySlots: 6, workers: 3), refusedPerSecond: 7.5)
        #expect(shedding.desiredWorkers == 6)
    }

    @Test("an idle farm asks for none; light work for one")
    func idleAndLight() {
        #expect(demand(queued: 0, running: 0, completed: 0).desiredWorkers == 0)
        #expect(demand(queued: 1, running: 0, completed: 0.01).desiredWorkers == 1)
    }

    @Test("with no service time measured yet, keep the workers there are (at least one while there is work)")
    func unknownServiceTime() {
        #expect(demand(queued: 200, running: 6, completed: 0, service: 0).desiredWorkers == 3)
        let empty = WorkerDemand(
            queued: 5, running: 0, completedPerSecond: 0, meanServiceSeconds: 0, latencyTargetSeconds: 30,
            capacity: Capacity(slots: 0, busySlots: 0))
        #expect(empty.slotsPerWorker == 1)
        #expect(empty.desiredWorkers == 1, "no worker at all: ask for one")
        #expect(empty.slotsNeeded == nil)
    }
}
