import DarkroomCore
import DarkroomStore
import Foundation
import Testing

/// The ``WorkerRegistry`` contract, each sentence a test, run against every store.
@Suite("Worker registry conformance")
struct WorkerRegistryConformanceTests {
    @Test("capacity sums the latest announcement of each worker seen recently", arguments: StoreKind.allCases)
    func capacitySumsWorkers(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let store: any WorkerRegistry = fixture.store
        #expect(try await store.capacity(CapacityParams(seenSince: fixture.at(0))) == Capacity(slots: 0, busySlots: 0))
        try await store.announceWorker(
            AnnounceWorkerParams(workerID: "a", capacity: Capacity(slots: 2, busySlots: 2), now: fixture.at(1)))
        try await store.announceWorker(
            AnnounceWorkerParams(workerID: "b", capacity: Capacity(slots: 3, busySlots: 0), now: fixture.at(2)))
        try await store.announceWorker(
            AnnounceWorkerParams(workerID: "a", capacity: Capacity(slots: 2, busySlots: 1), now: fixture.at(10)))
        try await store.announceWorker(
            AnnounceWorkerParams(workerID: "c", capacity: Capacity(slots: 0, busySlots: 0), now: fixture.at(10)))
        // Worker c announces no slots (a farm whose backends are all gone): it is not counted as a worker.
        #expect(
            try await store.capacity(CapacityParams(seenSince: fixture.at(0)))
                == Capacity(slots: 5, busySlots: 1, workers: 2))
        // Worker b went quiet at 2: past the cut-off it no longer counts.
        #expect(
            try await store.capacity(CapacityParams(seenSince: fixture.at(5)))
                == Capacity(slots: 2, busySlots: 1, workers: 1))
    }
}
