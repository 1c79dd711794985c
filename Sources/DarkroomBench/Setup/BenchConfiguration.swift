import Foundation

/// Everything one `darkroom bench` run needs: the target, the load, the request and the measurement window.
///
/// The defaults reproduce the seed's Locust test: 50→200 users (+10/s), 1 s think time, 120 s with the last
/// 90 s measured, 1024×1024, 8 steps, LoRA strength 1.0, a 60 s client timeout. ``validate()`` checks it.
public struct BenchConfiguration: Sendable {
    /// The server's base URL, e.g. `http://127.0.0.1:8080`.
    public var target: URL
    public var `protocol`: BenchProtocol
    /// How a Darkroom transaction waits for its job (ignored for A1111).
    public var waitMode: WaitMode
    public var load: LoadModel
    /// How long load is offered.
    public var duration: Duration
    /// Only transactions that end within the last `measureLast` of the run count; `nil` means the last 90 s, or
    /// the whole run when it is shorter.
    public var measureLast: Duration?
    public var request: RequestShape
    /// The longest one transaction may take, submit to known completion; past it the transaction is a
    /// `timeout` error.
    public var timeout: Duration
    /// The target's physical limit in transactions per second (`--limit`); `nil` asks a Darkroom target.
    public var limitPerSecond: Double?
    /// A label for the report (`custom` unless a named scenario is run).
    public var scenario: String
    /// The interval of ``WaitMode/poll``.
    public var pollInterval: Duration
    /// Whether each Darkroom job states the client's timeout as its deadline (`--deadline`), so the server
    /// refuses what it cannot finish in time and never works on a job its client gave up on.
    public var sendsDeadline = false
    /// Whether a refused user waits the `Retry-After` (at least its think time) and tries again under the same
    /// `Idempotency-Key` (`--honour-retry-after`), rather than moving on to its next request.
    public var honoursRetryAfter = false
    /// The longest `Retry-After` a user waits; past it the request is given up. `nil`: the timeout.
    public var retryAfterLimit: Duration?

    /// The longest `Retry-After` a user honours.
    public var retryAfterCap: Duration { retryAfterLimit ?? timeout }

    /// A closed loop's think time; zero for an open loop.
    public var thinkTime: Duration {
        if case .closedLoop(_, let think) = load { think } else { .zero }
    }

    public init(
        target: URL, protocol: BenchProtocol = .darkroom, waitMode: WaitMode = .sse,
        load: LoadModel = .closedLoop(RampSchedule(users: 200, startUsers: 50, spawnRate: 10), think: .seconds(1)),
        duration: Duration = .seconds(120), measureLast: Duration? = nil, request: RequestShape = RequestShape(),
        timeout: Duration = .seconds(60), limitPerSecond: Double? = nil, scenario: String = "custom",
        pollInterval: Duration = .milliseconds(500)
    ) {
        self.target = target
        self.protocol = `protocol`
        self.waitMode = waitMode
        self.load = load
        self.duration = duration
        self.measureLast = measureLast
        self.request = request
        self.timeout = timeout
        self.limitPerSecond = limitPerSecond
        self.scenario = scenario
        self.pollInterval = pollInterval
    }

    /// The window whose transactions count, before any early stop.
    public var plannedWindow: MeasurementWindow {
        MeasurementWindow.planned(duration: duration, measureLast: measureLast ?? min(.seconds(90), duration))
    }

    /// Throws the first setting that cannot run.
    public func validate() throws(BenchConfigurationError) {
        guard let scheme = target.scheme?.lowercased(), ["http", "https"].contains(scheme), target.host != nil else {
            throw .invalid("--target must be an http(s) URL with a host")
        }
        guard duration > .zero else { throw .invalid("--duration must be more than 0") }
        if let measureLast {
            guard measureLast > .zero, measureLast <= duration else {
                throw .invalid("--measure-last must be more than 0 and at most --duration")
            }
        }
        guard timeout > .zero else { throw .invalid("--timeout must be more than 0") }
        if let retryAfterLimit, retryAfterLimit <= .zero { throw .invalid("--retry-after-cap must be more than 0") }
        guard pollInterval > .zero else { throw .invalid("the poll interval must be more than 0") }
        if let limitPerSecond, !(limitPerSecond > 0 && limitPerSecond.isFinite) {
            throw .invalid("--limit must be a number more than 0")
        }
        try Self.validate(load)
        guard request.width > 0, request.height > 0, request.steps > 0 else {
            throw .invalid("--width, --height and --steps must be more than 0")
        }
        guard request.loraStrength.isFinite else { throw .invalid("--lora-strength must be a number") }
    }

    private static func validate(_ load: LoadModel) throws(BenchConfigurationError) {
        switch load {
        case .closedLoop(let ramp, let think):
            guard ramp.users > 0 else { throw .invalid("--users must be at least 1") }
            guard (0...ramp.users).contains(ramp.startUsers) else {
                throw .invalid("--start-users must be within 0…--users")
            }
            guard ramp.startUsers == ramp.users || (ramp.spawnRate > 0 && ramp.spawnRate.isFinite) else {
                throw .invalid("--spawn-rate must be more than 0")
            }
            guard think >= .zero else { throw .invalid("--think must not be negative") }
        case .openLoop(let rate):
            guard rate > 0, rate.isFinite else { throw .invalid("--rate must be more than 0") }
        }
    }
}
