import DarkroomWire
import Hummingbird

/// The WebUI's read-only inventory routes: models, modules, LoRAs, samplers and schedulers.
struct A1111Listings: Sendable {
    let models: A1111Models

    func register<Routes: RouterMethods>(on routes: Routes) {
        let checkpoints = self.checkpoints
        let modules = self.modules
        let loras = self.loras
        routes.get("sdapi/v1/sd-models") { _, _ in Response.json(checkpoints, style: .compact) }
        routes.get("sdapi/v1/sd-modules") { _, _ in Response.json(modules, style: .compact) }
        routes.get("sdapi/v1/loras") { _, _ in Response.json(loras, style: .compact) }
        routes.get("sdapi/v1/samplers") { _, _ in Response.json(A1111Samplers.samplerListing, style: .compact) }
        routes.get("sdapi/v1/schedulers") { _, _ in Response.json(A1111Samplers.schedulerListing, style: .compact) }
        for refresh in ["sdapi/v1/refresh-checkpoints", "sdapi/v1/refresh-loras", "sdapi/v1/refresh-vae"] {
            routes.post(RouterPath(refresh)) { _, _ in Response.json(nil, style: .compact) }
        }
    }

    private var checkpoints: JSONValue {
        let checkpoint = models.checkpoint
        return [
            [
                "title": .string(checkpoint.title), "model_name": .string(checkpoint.name),
                "hash": .string(String(checkpoint.sha256.suffix(8))), "sha256": .string(checkpoint.sha256),
                "filename": .string(checkpoint.path), "config": nil,
            ]
        ]
    }

    private var modules: JSONValue {
        .array(models.modules.map { ["model_name": .string($0.name), "filename": .string($0.path)] })
    }

    private var loras: JSONValue {
        .array(
            models.loras.map {
                ["name": .string($0.name), "alias": .string($0.name), "path": .string($0.path), "metadata": [:]]
            })
    }
}
