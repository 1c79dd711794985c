/// What the live progress line shows, once a second while the run goes.
public struct ProgressSnapshot: Sendable, Equatable {
    public var elapsed: Duration
    /// Virtual users started so far (closed loop); `nil` in open loop.
    public var users: Int?
    public var inFlight: Int
    /// Successes and errors so far, warm-up included.
    public var ok: Int
    public var errors: Int
    /// Successes per second since the previous snapshot.
    public var currentOKPerSecond: Double

    public init(elapsed: Duration, users: Int?, inFlight: Int, ok: Int, errors: Int, currentOKPerSecond: Double) {
        self.elapsed = elapsed
        self.users = users
        self.inFlight = inFlight
        self.ok = ok
        self.errors = errors
        self.currentOKPerSecond = currentOKPerSecond
    }

    /// `[  12s] users 50  in flight 48  ok 120  errors 0  4.90 ok/s`.
    public var line: String {
        let seconds = String(Int(elapsed.inSeconds.rounded(.down)))
        let clock = "[" + String(repeating: " ", count: max(0, 4 - seconds.count)) + seconds + "s]"
        let users = self.users.map { " users \($0)" } ?? ""
        return "\(clock)\(users)  in flight \(inFlight)  ok \(ok)  errors \(errors)  "
            + ReportNumber.fixed(currentOKPerSecond, 2) + " ok/s"
    }
}
