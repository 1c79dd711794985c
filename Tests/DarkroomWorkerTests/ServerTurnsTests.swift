import Testing

@testable import DarkroomWorker

@Suite(.timeLimit(.minutes(5))) struct ServerTurnsTests {
    @Test("a take that leaves room to claim ahead rings for the slots held back (two turns)")
    func takeRingsWhenItMakesRoom() async throws {
        let turns = ServerTurns(turns: 2, claimsAhead: true)
        let first = try #require(turns.reserve())
        try await turns.take(first)
        let second = try #require(turns.reserve())
        #expect(turns.reserve() == nil, "both turns spoken for")
        turns.nearingEnd(first)
        let before = turns.changed.generation
        try await turns.take(second)
        #expect(turns.changed.generation > before, "a held-back slot may now claim to follow the first request")
        #expect(turns.reserve() != nil)
    }

    @Test("a waiter gets the turn when the running ticket ends; a drain refuses the one still waiting")
    func waitersAndDrain() async throws {
        let turns = ServerTurns(turns: 1, claimsAhead: true)
        let running = try #require(turns.reserve())
        try await turns.take(running)
        turns.nearingEnd(running)
        let follower = try #require(turns.reserve())
        let waiting = Task { try await turns.take(follower) }
        turns.end(running)
        try await waiting.value
        #expect(turns.running == 1)
        turns.nearingEnd(follower)
        let refused = try #require(turns.reserve())
        let drained = Task { try await turns.take(refused) }
        turns.close()
        await #expect(throws: ServerTurns.Closed.self) { try await drained.value }
        #expect(turns.reserve() == nil)
    }
}
