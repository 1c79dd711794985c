/// The physical limit of simulated GPUs, known in advance.
extension ThroughputLimit {
    /// `slots ÷ S`, where `S` is the simulated service time of one `request`: `secondsPerImage` (one 1024×1024,
    /// 8-step image) scaled by pixels and steps as the simulators do. `nil` when `S` is not more than 0.
    static func simulated(slots: Int, secondsPerImage: Double, request: RequestShape) -> ThroughputLimit? {
        let seconds = serviceSeconds(secondsPerImage: secondsPerImage, request: request)
        guard seconds > 0, seconds.isFinite, slots > 0 else { return nil }
        return ThroughputLimit(
            perSecond: Double(slots) / seconds,
            source: "\(slots) slot\(slots == 1 ? "" : "s") ÷ \(ReportNumber.fixed(seconds, 3)) s simulated")
    }

    /// Seconds one simulated GPU spends on `request`.
    static func serviceSeconds(secondsPerImage: Double, request: RequestShape) -> Double {
        secondsPerImage * Double(request.width * request.height) / (1024 * 1024) * Double(request.steps) / 8
    }
}
