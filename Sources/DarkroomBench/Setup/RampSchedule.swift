/// When each virtual user of a closed-loop run starts: Locust's ramp from `startUsers` to `users`.
///
/// `startUsers` start at once; the rest join one at a time, `spawnRate` per second, evenly spaced: user `i`
/// (counting from 0) starts at `(i − startUsers + 1) / spawnRate` seconds. So the number of users active at
/// `t` is `min(users, startUsers + ⌊t × spawnRate⌋)`, and every user, once started, runs until the end.
public struct RampSchedule: Sendable, Equatable {
    /// Users at the end of the ramp (`--users`).
    public var users: Int
    /// Users at time zero (`--start-users`), at most ``users``.
    public var startUsers: Int
    /// Users added per second until ``users`` run (`--spawn-rate`); must be > 0 when ``startUsers`` < ``users``.
    public var spawnRate: Double

    public init(users: Int, startUsers: Int, spawnRate: Double) {
        self.users = users
        self.startUsers = startUsers
        self.spawnRate = spawnRate
    }

    /// How many users are active `elapsed` after the start (0 before it).
    public func activeUsers(at elapsed: Duration) -> Int {
        guard elapsed >= .zero else { return 0 }
        guard startUsers < users, spawnRate > 0 else { return min(users, startUsers) }
        let joined = (elapsed.inSeconds * spawnRate + 1e-9).rounded(.down)
        return joined >= Double(users - startUsers) ? users : startUsers + Int(joined)
    }

    /// When user `index` (0-based, below ``users``) starts, as an offset from the run's start.
    public func startOffset(ofUser index: Int) -> Duration {
        guard index >= startUsers, spawnRate > 0 else { return .zero }
        return .seconds(Double(index - startUsers + 1) / spawnRate)
    }

    /// How long the ramp takes to reach ``users``.
    public var rampDuration: Duration { users > 0 ? startOffset(ofUser: users - 1) : .zero }
}
