import DarkroomCore
import Testing

@Suite struct JobEventTests {
    /// One (event, state) pair and the state it should lead to; `nil` means forbidden.
    struct Transition: Sendable, CustomTestStringConvertible {
        let event: JobEvent
        let state: JobState
        let target: JobState?

        var testDescription: String { "\(event) from \(state) → \(target.map(\.rawValue) ?? "forbidden")" }
    }

    /// The allowed moves, written out independently of the implementation.
    static let allowed: [JobEvent: [JobState: JobState]] = [
        .claim: [.queued: .running],
        .complete: [.running: .succeeded],
        .retry: [.running: .queued],
        .rescue: [.running: .queued],
        .fail: [.running: .failed],
        .cancel: [.queued: .canceled, .running: .canceled],
        .expire: [.queued: .expired, .running: .expired],
    ]

    /// Every (event, state) pair: 7 events × 6 states, allowed and forbidden alike.
    static let everyPair: [Transition] = JobEvent.allCases.flatMap { event in
        JobState.allCases.map { state in
            Transition(event: event, state: state, target: allowed[event]?[state])
        }
    }

    @Test("the table covers every event in every state")
    func tableIsComplete() {
        #expect(Self.everyPair.count == JobEvent.allCases.count * JobState.allCases.count)
        #expect(Self.everyPair.count == 42)
        #expect(Self.everyPair.filter { $0.target != nil }.count == 9)
    }

    @Test("an event's sources are the states the table allows it in")
    func sources() {
        #expect(JobEvent.expire.sources == [.queued, .running])
        #expect(JobEvent.complete.sources == [.running])
        for event in JobEvent.allCases {
            #expect(event.sources == JobState.allCases.filter { Self.allowed[event]?[$0] != nil })
        }
    }

    @Test("each event leads to its target state or is forbidden", arguments: everyPair)
    func target(_ transition: Transition) {
        #expect(transition.event.target(from: transition.state) == transition.target)
    }

    @Test(
        "a terminal state accepts no event",
        arguments: [JobState.succeeded, .failed, .canceled, .expired], JobEvent.allCases
    )
    func terminalStatesAreFinal(state: JobState, event: JobEvent) {
        #expect(event.target(from: state) == nil)
    }

    @Test("every non-terminal state has a way to a terminal state", arguments: [JobState.queued, .running])
    func nonTerminalStatesCanFinish(state: JobState) {
        let targets = JobEvent.allCases.compactMap { $0.target(from: state) }
        #expect(targets.contains { $0.isTerminal })
    }
}
