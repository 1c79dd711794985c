import DarkroomCore

/// What a backend's server says about itself when asked: reachable or not, GPU memory where exposed,
/// and the model/LoRAs it last ran (so slots can prefer jobs that need no switch).
public struct BackendHealth: Sendable, Equatable {
    /// Whether the server answered its health endpoint.
    public var isReachable: Bool
    /// GPU memory, when the server reports it (A1111 `/sdapi/v1/memory`, ComfyUI `/system_stats`).
    public var gpuMemory: GPUMemory?
    /// A human-readable reason when the server is not reachable.
    public var problem: String?

    public init(isReachable: Bool, gpuMemory: GPUMemory? = nil, problem: String? = nil) {
        self.isReachable = isReachable
        self.gpuMemory = gpuMemory
        self.problem = problem
    }

    /// A reachable backend with nothing more to say.
    public static let reachable = BackendHealth(isReachable: true)
}
