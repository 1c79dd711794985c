/// Reads `GET /sdapi/v1/memory`: `{"ram": {…}, "cuda": {"system": {"free", "used", "total"}, …}}` in bytes.
///
/// Without a GPU, `cuda` (or the whole body) is `{"error": "unavailable"}`: the server is up, with no GPU memory
/// to report.
enum A1111MemoryAnswer {
    /// The GPU memory in `json`, if it reports one.
    static func gpuMemory(_ json: BackendJSON) -> GPUMemory? {
        guard let system = json["cuda"]?["system"], let used = system["used"]?.int64Value,
            let total = system["total"]?.int64Value, total > 0
        else { return nil }
        return GPUMemory(usedBytes: used, totalBytes: total)
    }
}
