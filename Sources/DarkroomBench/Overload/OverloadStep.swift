/// One step of `darkroom bench --scenario overload`: open-loop arrivals at a multiple of the limit for a while.
///
/// The steps run back to back against one server: the ladder's rungs at 1×, 2×, 5× and 20× the limit (each
/// measured over its last part, once the queue has settled), then the burst: a quiet lead-in at 0.5× (so the
/// burst meets an empty queue), 60 s at 10×, and 0.5× again while the backlog drains (``isRecovery``).
public struct OverloadStep: Sendable, Equatable {
    public var name: String
    /// Arrivals per second as a multiple of the limit.
    public var multiple: Double
    public var duration: Duration
    /// The part of ``duration`` measured (its end).
    public var measureLast: Duration
    /// Whether the ladder's steady goodput criteria apply (a rung), or it is part of the burst.
    public var isRung: Bool
    /// Whether it follows the burst: its time to recover is reported.
    public var isRecovery: Bool

    public init(
        name: String, multiple: Double, duration: Duration, measureLast: Duration, isRung: Bool,
        isRecovery: Bool = false
    ) {
        self.name = name
        self.multiple = multiple
        self.duration = duration
        self.measureLast = measureLast
        self.isRung = isRung
        self.isRecovery = isRecovery
    }

    /// The ladder (each rung `rung` long, its last `measureLast` measured), then the burst and its recovery
    /// (measured whole; the recovery lasts `recovery`).
    public static func ladder(rung: Duration, measureLast: Duration, recovery: Duration) -> [OverloadStep] {
        [1.0, 2, 5, 20].map {
            OverloadStep(
                name: "\(ReportNumber.plain($0))×", multiple: $0, duration: rung, measureLast: measureLast, isRung: true)
        } + [
            OverloadStep(
                name: "before burst 0.5×", multiple: 0.5, duration: .seconds(30), measureLast: .seconds(30),
                isRung: false),
            OverloadStep(
                name: "burst 10×", multiple: 10, duration: .seconds(60), measureLast: .seconds(60), isRung: false),
            OverloadStep(
                name: "after burst 0.5×", multiple: 0.5, duration: recovery, measureLast: recovery, isRung: false,
                isRecovery: true),
        ]
    }
}
