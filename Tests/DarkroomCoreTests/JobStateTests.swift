import DarkroomCore
import Testing

@Suite struct JobStateTests {
    @Test(
        "only succeeded, failed, canceled and expired are terminal",
        arguments: [
            (JobState.queued, false), (.running, false), (.succeeded, true), (.failed, true), (.canceled, true),
            (.expired, true),
        ]
    )
    func isTerminal(state: JobState, expected: Bool) {
        #expect(state.isTerminal == expected)
    }

    @Test("the raw values are the stored and published state names")
    func rawValues() {
        #expect(JobState.allCases.map(\.rawValue) == ["queued", "running", "succeeded", "failed", "canceled", "expired"])
    }
}
