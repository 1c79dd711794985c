import Testing

@testable import DarkroomWorker

@Suite struct TurnBookTests {
    @Test("one turn: a second claim waits until the running request reaches its last step")
    func claimsAheadAtTheLastStep() {
        var book = TurnBook(turns: 1, claimsAhead: true)
        let first = book.reserve(1)
        let secondTooEarly = book.reserve(2)
        let taken = book.take(1)
        let secondWhileRunning = book.reserve(2)
        book.nearingEnd(1)
        let secondAtLastStep = book.reserve(2)
        let third = book.reserve(3)
        let secondTakes = book.take(2)
        #expect(first && taken == .running)
        #expect(!secondTooEarly, "the only turn is spoken for")
        #expect(!secondWhileRunning, "the running request is not at its last step")
        #expect(secondAtLastStep)
        #expect(!third, "one job follows each finishing request, no more")
        #expect(secondTakes == .queued, "the server still runs request 1")
        #expect(book.queue == [2])
        let ended = book.end(1)
        #expect(ended.started == [2])
        #expect(ended.heldTurn)
        #expect(book.tickets == [2: .running(isFinishing: false)])
        let thirdAfter = book.reserve(3)
        #expect(!thirdAfter, "request 2 has only just started")
    }

    @Test("without claiming ahead a slot claims only for a free turn")
    func noClaimAhead() {
        var book = TurnBook(turns: 1, claimsAhead: false)
        _ = book.reserve(1)
        _ = book.take(1)
        book.nearingEnd(1)
        let atLastStep = book.reserve(2)
        _ = book.end(1)
        let afterEnd = book.reserve(2)
        #expect(!atLastStep)
        #expect(afterEnd)
    }

    @Test("a reservation that claimed nothing, or whose wait was cancelled, frees its place")
    func endingAWaitingTicket() {
        var book = TurnBook(turns: 1, claimsAhead: true)
        _ = book.reserve(1)
        let ended = book.end(1)
        #expect(ended.started.isEmpty)
        #expect(!ended.heldTurn)
        let reserved = book.reserve(2)
        let taken = book.take(2)
        book.nearingEnd(2)
        let follower = book.reserve(3)
        let followerTakes = book.take(3)
        #expect(reserved && taken == .running && follower && followerTakes == .queued)
        _ = book.end(3)
        #expect(book.queue.isEmpty)
        #expect(book.tickets == [2: .running(isFinishing: true)])
        let again = book.reserve(4)
        #expect(again, "the finishing request has nobody behind it again")
    }

    @Test("two turns fill in order, and freed turns go to waiters first come first served")
    func twoTurnsInOrder() {
        var book = TurnBook(turns: 2, claimsAhead: true)
        var taken: [TurnBook.Taking] = []
        for id in 1...2 {
            _ = book.reserve(id)
            taken.append(book.take(id))
        }
        let thirdWhileBusy = book.reserve(3)
        book.nearingEnd(1)
        book.nearingEnd(2)
        let reserved = [book.reserve(3), book.reserve(4), book.reserve(5)]
        taken += [book.take(4), book.take(3)]
        #expect(taken == [.running, .running, .queued, .queued])
        #expect(!thirdWhileBusy)
        #expect(reserved == [true, true, false])
        #expect(book.queue == [4, 3])
        #expect(book.end(2).started == [4])
        #expect(book.end(1).started == [3])
        #expect(book.running == 2)
        #expect(book.waiting == 0)
    }

    @Test("ending a ticket twice, or one never seen, changes nothing; an ended ticket must not run")
    func endIsIdempotent() {
        var book = TurnBook(turns: 1, claimsAhead: true)
        _ = book.reserve(1)
        _ = book.take(1)
        let first = book.end(1)
        let again = book.end(1)
        let unknown = book.end(99)
        let takeEnded = book.take(1)
        #expect(first.heldTurn)
        #expect(!again.heldTurn && again.started.isEmpty)
        #expect(!unknown.heldTurn)
        #expect(takeEnded == .ended)
        #expect(book.tickets.isEmpty)
    }

    @Test("a closed book (a drain) refuses claims and turns to waiting tickets; running ones run on")
    func closedForADrain() {
        var book = TurnBook(turns: 1, claimsAhead: true)
        _ = book.reserve(1)
        _ = book.take(1)
        book.nearingEnd(1)
        _ = book.reserve(2)
        let queued = book.take(2)
        let refused = book.close()
        let reserveAfter = book.reserve(3)
        let takeAfter = book.take(2)
        let ended = book.end(1)
        #expect(queued == .queued)
        #expect(refused == [2])
        #expect(!reserveAfter)
        #expect(takeAfter == .ended)
        #expect(ended.started.isEmpty && ended.heldTurn)
    }

    @Test("a drain still lets a ticket start that need not wait (its prompt may already be on the server)")
    func closedGrantsAFreeTurn() {
        var book = TurnBook(turns: 1, claimsAhead: true)
        _ = book.reserve(1)
        _ = book.close()
        let taken = book.take(1)
        #expect(taken == .running)
    }
}
