import DarkroomCore
import DarkroomStore
import Foundation
import Testing

/// Claim preferences within a priority: model affinity and "not where it just failed", both bounded in time.
extension JobQueueConformanceTests {
    static let portraitLoRA = [LoRA(name: "AWPortrait-Z", strength: 1)]
    static let animeLoRA = [LoRA(name: "Anime-Z", strength: 0.8)]

    @Test("a claim prefers jobs for the model and LoRAs its backend has loaded", arguments: StoreKind.allCases)
    func affinityFirst(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let portrait = try await fixture.insertJob(createdOffset: 0, loras: Self.portraitLoRA)
        let anime = try await fixture.insertJob(createdOffset: 1, loras: Self.animeLoRA)
        let animeLoaded = anime.request.affinity
        #expect(animeLoaded != portrait.request.affinity)
        #expect(try await fixture.claim(affinity: animeLoaded, offset: 5).map(\.id) == [anime.id])
        #expect(try await fixture.claim(affinity: animeLoaded, offset: 6).map(\.id) == [portrait.id])
    }

    @Test("preferences choose only among the head of the queue (preferenceDepth jobs)", arguments: StoreKind.allCases)
    func preferenceDepthBoundsTheSearch(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let first = try await fixture.insertJob(createdOffset: 0, loras: Self.portraitLoRA)
        try await fixture.insertJob(createdOffset: 1, loras: Self.portraitLoRA)
        let deep = try await fixture.insertJob(createdOffset: 2, loras: Self.animeLoRA)
        let anime = deep.request.affinity
        #expect(try await fixture.claim(affinity: anime, preferenceDepth: 2, offset: 5).map(\.id) == [first.id])
        #expect(try await fixture.claim(affinity: anime, preferenceDepth: 3, offset: 6).map(\.id) == [deep.id])
    }

    @Test("affinity never beats priority", arguments: StoreKind.allCases)
    func priorityBeatsAffinity(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let urgent = try await fixture.insertJob(priority: 9, createdOffset: 1, loras: Self.portraitLoRA)
        let anime = try await fixture.insertJob(priority: 5, createdOffset: 0, loras: Self.animeLoRA)
        #expect(try await fixture.claim(affinity: anime.request.affinity, offset: 5).map(\.id) == [urgent.id])
    }

    @Test("a job waiting longer than the window loses no place to affinity", arguments: StoreKind.allCases)
    func affinityBoundedByAge(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let old = try await fixture.insertJob(createdOffset: 0, loras: Self.portraitLoRA)
        let anime = try await fixture.insertJob(createdOffset: 1, loras: Self.animeLoRA)
        // At 31 s the portrait job has waited past the 30 s window: it goes first even to an anime backend.
        #expect(try await fixture.claim(affinity: anime.request.affinity, offset: 31).map(\.id) == [old.id])
    }

    @Test("LoRA strength does not change affinity; the LoRA set does", arguments: StoreKind.allCases)
    func affinityIgnoresStrength(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let other = try await fixture.insertJob(createdOffset: 0, loras: [])
        let weaker = try await fixture.insertJob(createdOffset: 1, loras: [LoRA(name: "AWPortrait-Z", strength: 0.6)])
        let loaded = GenerationRequest(prompt: "x", seed: 1, loras: Self.portraitLoRA).affinity
        #expect(try await fixture.claim(affinity: loaded, offset: 5).map(\.id) == [weaker.id])
        #expect(try await fixture.claim(affinity: loaded, offset: 6).map(\.id) == [other.id])
    }

    @Test(
        "a job that just failed on a backend goes to others first, for the window only", arguments: StoreKind.allCases)
    func avoidsBackendThatFailed(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let failed = try await fixture.insertJob(createdOffset: 0)
        let fresh = try await fixture.insertJob(createdOffset: 1)
        let first = try #require(try await fixture.claim(backend: "gpu-a", offset: 2).first)
        #expect(first.id == failed.id)
        _ = try await fixture.store.retry(
            RetryParams(lease: try #require(LeaseRef(first)), runAfter: fixture.at(3), now: fixture.at(3)))
        // gpu-a takes the fresh job rather than the one it just failed.
        #expect(try await fixture.claim(backend: "gpu-a", offset: 4).map(\.id) == [fresh.id])
        // Another backend takes the failed job in its normal place.
        let retried = try #require(try await fixture.claim(backend: "gpu-b", offset: 5).first)
        #expect(retried.id == failed.id && retried.attempt == 2)
    }

    @Test(
        "past the window, a job that failed on a backend is that backend's next job again",
        arguments: StoreKind.allCases)
    func avoidanceExpires(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let failed = try await fixture.insertJob(createdOffset: 0)
        try await fixture.insertJob(createdOffset: 1)
        let first = try #require(try await fixture.claim(backend: "gpu-a", offset: 2).first)
        _ = try await fixture.store.retry(
            RetryParams(lease: try #require(LeaseRef(first)), runAfter: fixture.at(3), now: fixture.at(3)))
        #expect(try await fixture.claim(backend: "gpu-a", offset: 34).map(\.id) == [failed.id])
    }

    @Test("workers' backend statuses round-trip through the store", arguments: StoreKind.allCases)
    func backendStatuses(kind: StoreKind) async throws {
        let fixture = try await kind.makeStore()
        let store = fixture.store
        let open = BackendStatus(
            id: "a1111-0", worker: "w1", kind: "a1111", breaker: .open, slots: 1, busySlots: 0, reachable: false,
            loaded: "z_image_turbo_bf16+AWPortrait-Z", gpuMemoryUsedBytes: 14 << 30, gpuMemoryTotalBytes: 24 << 30)
        let sim = BackendStatus(id: "sim-0", worker: "w2", kind: "sim", breaker: .closed, slots: 1, busySlots: 1)
        try await store.announceWorker(
            AnnounceWorkerParams(
                workerID: "w1", capacity: Capacity(slots: 1, busySlots: 0), backends: [open], now: fixture.at(1)))
        try await store.announceWorker(
            AnnounceWorkerParams(
                workerID: "w2", capacity: Capacity(slots: 1, busySlots: 1), backends: [sim], now: fixture.at(2)))
        #expect(try await store.backends(CapacityParams(seenSince: fixture.at(0))) == [open, sim])
        #expect(try await store.backends(CapacityParams(seenSince: fixture.at(1.5))) == [sim])
    }
}
