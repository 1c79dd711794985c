extension Duration {
    /// The duration as a number of seconds, for arithmetic with `Date` and for metrics.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
