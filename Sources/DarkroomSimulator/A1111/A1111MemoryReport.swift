import DarkroomBackends
import DarkroomWire

/// `GET /sdapi/v1/memory` for the simulated GPU: `ram` and `cuda` in bytes, shaped like upstream's
/// psutil and `torch.cuda.memory_stats` figures.
struct A1111MemoryReport: Sendable {
    var memory: SimulatedGPUMemory
    /// Working memory of the run in progress, if any.
    var working: Int64?
    var peakWorking: Int64
    var oomCount: Int

    /// Memory the CUDA context itself takes, outside PyTorch's allocator.
    static let contextBytes: Int64 = 600 << 20
    static let ramTotal: Int64 = 64 << 30
    static let ramUsed: Int64 = 6_543_210_496

    var json: JSONValue {
        let allocated = memory.used(working: working)
        let reserved = min(memory.total - Self.contextBytes, allocated + (256 << 20))
        let used = min(memory.total, reserved + Self.contextBytes)
        let peak = memory.used(working: peakWorking)
        return [
            "ram": [
                "free": .double(Double(Self.ramTotal - Self.ramUsed)), "used": .int(Self.ramUsed),
                "total": .double(Double(Self.ramTotal)),
            ],
            "cuda": [
                "system": ["free": .int(memory.total - used), "used": .int(used), "total": .int(memory.total)],
                "active": ["current": .int(allocated), "peak": .int(peak)],
                "allocated": ["current": .int(allocated), "peak": .int(peak)],
                "reserved": ["current": .int(reserved), "peak": .int(max(reserved, peak + (256 << 20)))],
                "inactive": ["current": .int(reserved - allocated), "peak": .int(512 << 20)],
                "events": ["retries": 0, "oom": .integer(oomCount)],
            ],
        ]
    }

    /// PyTorch's CUDA out-of-memory message for an allocation of `tried` bytes.
    static func outOfMemoryText(memory: SimulatedGPUMemory, tried: Int64) -> String {
        let inUse = memory.resident + contextBytes
        let free = max(0, memory.total - inUse)
        return """
            CUDA out of memory. Tried to allocate \(gib(tried)). GPU 0 has a total capacity of \(gib(memory.total)) \
            of which \(gib(free)) is free. Including non-PyTorch memory, this process has \(gib(inUse)) memory in use. \
            Of the allocated memory \(gib(memory.resident)) is allocated by PyTorch, and 256.00 MiB is reserved by \
            PyTorch but unallocated. If reserved but unallocated memory is large try setting \
            PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True to avoid fragmentation.  See documentation for Memory \
            Management  (https://pytorch.org/docs/stable/notes/cuda.html#environment-variables)
            """
    }

    private static func gib(_ bytes: Int64) -> String {
        let value = Double(bytes) / Double(1 << 30)
        let hundredths = Int((value * 100).rounded())
        let fraction = String(hundredths % 100)
        return "\(hundredths / 100).\(fraction.count == 1 ? "0" + fraction : fraction) GiB"
    }
}
