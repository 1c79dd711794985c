/// GPU memory of one device, in bytes.
public struct GPUMemory: Sendable, Equatable {
    /// Memory in use (by any process), in bytes.
    public var usedBytes: Int64
    /// The device's memory, in bytes.
    public var totalBytes: Int64

    public init(usedBytes: Int64, totalBytes: Int64) {
        self.usedBytes = usedBytes
        self.totalBytes = totalBytes
    }

    /// used / total, 0 when the total is unknown.
    public var usedFraction: Double { totalBytes > 0 ? Double(usedBytes) / Double(totalBytes) : 0 }
}
