/// A condition that did not hold before its deadline.
struct WaitTimedOut: Error, CustomStringConvertible {
    var condition: String
    var timeout: Duration
    var lastSeen: String

    var description: String { "timed out after \(timeout) waiting until \(condition); last seen: \(lastSeen)" }
}

/// Polls `probe` every `interval` until it returns a value, or throws ``WaitTimedOut`` after `timeout`.
///
/// This waits on a condition the test observes; the interval only sets how often it looks.
func waitUntil<Value>(
    _ condition: String, timeout: Duration = .seconds(120), every interval: Duration = .milliseconds(100),
    _ probe: () async throws -> Value?
) async throws -> Value {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while true {
        if let value = try await probe() { return value }
        guard clock.now < deadline else {
            throw WaitTimedOut(condition: condition, timeout: timeout, lastSeen: "nothing")
        }
        try await Task.sleep(for: interval)
    }
}

/// Polls `read` until `done` holds for what it returned; throws with the last value seen after `timeout`.
func waitUntil<Value>(
    _ condition: String, timeout: Duration = .seconds(120), every interval: Duration = .milliseconds(100),
    reading read: () async throws -> Value, until done: (Value) -> Bool
) async throws -> Value {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while true {
        let value = try await read()
        if done(value) { return value }
        guard clock.now < deadline else {
            throw WaitTimedOut(condition: condition, timeout: timeout, lastSeen: String(describing: value))
        }
        try await Task.sleep(for: interval)
    }
}
