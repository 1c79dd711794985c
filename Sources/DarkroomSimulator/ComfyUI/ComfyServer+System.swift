import DarkroomBackends
import DarkroomWire
import Hummingbird

extension ComfyServer {
    static let version = "0.3.64"

    func registerSystem<Routes: RouterMethods>(on routes: Routes) {
        routes.get("system_stats") { _, _ in Response.json(await systemStats(), style: .pythonDefault) }
        routes.get("features") { _, _ in Response.json(Self.features, style: .pythonDefault) }
        routes.get("models") { _, _ in Response.json(.strings(catalog.folders.map(\.name)), style: .pythonDefault) }
        routes.get("models/{folder}") { _, context in
            guard let files = catalog.files(in: context.parameters.get("folder") ?? "") else {
                return Response.empty(status: .notFound)
            }
            return Response.json(.strings(files), style: .pythonDefault)
        }
        routes.get("object_info") { _, _ in
            var all = JSONObject()
            for name in catalog.classNames { all[name] = catalog.schemas[name]?.objectInfo }
            return Response.json(.object(all), style: .pythonDefault)
        }
        routes.get("object_info/{class}") { _, context in
            let name = context.parameters.get("class") ?? ""
            guard let schema = catalog.schemas[name] else { return Response.json([:], style: .pythonDefault) }
            return Response.json([name: schema.objectInfo], style: .pythonDefault)
        }
        routes.get("embeddings") { _, _ in Response.json([], style: .pythonDefault) }
        routes.get("extensions") { _, _ in Response.json([], style: .pythonDefault) }
        routes.post("free") { _, _ in Response.empty() }
    }

    /// `GET /features`: the server feature flags (also sent over the WebSocket on request).
    static let features: JSONValue = [
        "supports_preview_metadata": true, "max_upload_size": 104_857_600,
        "extension": ["manager": ["supports_v4": true]],
    ]

    /// `GET /system_stats`: the simulated machine and its one CUDA device, sizes in bytes.
    private func systemStats() async -> JSONValue {
        let memory = SimulatedGPUMemory(total: configuration.gpuMemoryBytes)
        let working = await executor.working
        let allocated = memory.used(working: working)
        let reserved = min(memory.total, allocated + (256 << 20))
        let ramTotal: Int64 = 64 << 30
        return [
            "system": [
                "os": "linux", "ram_total": .int(ramTotal), "ram_free": .int(ramTotal - 9_876_543_210),
                "comfyui_version": .string(Self.version), "required_frontend_version": "1.27.10",
                "installed_templates_version": "0.1.95", "required_templates_version": "0.1.95",
                "python_version": "3.12.9 (main, Feb 12 2025, 14:50:50) [GCC 12.2.0]", "pytorch_version": "2.8.0+cu128",
                "embedded_python": false, "argv": ["main.py", "--listen", "--port", "8188"],
            ],
            "devices": [
                [
                    "name": "cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync", "type": "cuda", "index": 0,
                    "vram_total": .int(memory.total), "vram_free": .int(memory.total - reserved),
                    "torch_vram_total": .int(reserved), "torch_vram_free": .int(reserved - allocated),
                ]
            ],
        ]
    }
}
