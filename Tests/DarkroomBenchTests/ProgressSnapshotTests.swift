import DarkroomBench
import Testing

@Suite struct ProgressSnapshotTests {
    @Test("the line shows elapsed seconds, users, in flight, ok, errors and current ok/s")
    func line() {
        let closed = ProgressSnapshot(
            elapsed: .milliseconds(12_700), users: 50, inFlight: 48, ok: 120, errors: 2, currentOKPerSecond: 4.9)
        #expect(closed.line == "[  12s] users 50  in flight 48  ok 120  errors 2  4.90 ok/s")
        let open = ProgressSnapshot(
            elapsed: .seconds(3), users: nil, inFlight: 1, ok: 0, errors: 0, currentOKPerSecond: 0)
        #expect(open.line == "[   3s]  in flight 1  ok 0  errors 0  0.00 ok/s")
    }
}
