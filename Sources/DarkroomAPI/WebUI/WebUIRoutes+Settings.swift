import DarkroomCore
import DarkroomStore
import DarkroomWire
import Foundation
import Hummingbird

extension WebUIRoutes {
    /// Models a WebUI client may pick: the configured default and whatever a backend has loaded.
    func knownModels() async throws -> [String] {
        var names = [gateway.configuration.defaults.model]
        for backend in await gateway.capacity.backends() {
            if let model = backend.loaded?.split(separator: "+").first.map(String.init), !names.contains(model) {
                names.append(model)
            }
        }
        return names
    }

    /// `GET /sdapi/v1/sd-models`: Darkroom's model names; no file hashes, since the files live on the GPU hosts.
    func sdModels() async throws -> Response {
        let models = try await knownModels().map { name -> JSONValue in
            [
                "title": .string(name), "model_name": .string(name), "hash": nil, "sha256": nil,
                "filename": .string(name), "config": nil,
            ]
        }
        return .json(.array(models), style: .compact)
    }

    /// `GET /sdapi/v1/loras`: the default LoRAs and those loaded on a backend.
    func loras() async throws -> Response {
        var names = gateway.configuration.defaults.loras.map(\.name)
        for backend in await gateway.capacity.backends() {
            for name in backend.loaded?.split(separator: "+").dropFirst() ?? [] where !names.contains(String(name)) {
                names.append(String(name))
            }
        }
        let loras = names.map { name -> JSONValue in
            ["name": .string(name), "alias": .string(name), "path": .string(name), "metadata": [:]]
        }
        return .json(.array(loras), style: .compact)
    }

    /// `GET /sdapi/v1/options`: the settings clients read, with the caller's chosen model.
    func options(caller: String) async -> Response {
        let model = await callers.model(of: caller) ?? gateway.configuration.defaults.model
        let options: JSONValue = [
            "sd_model_checkpoint": .string(model), "sd_checkpoint_hash": nil, "sd_vae": "Automatic",
            "CLIP_stop_at_last_layers": 1, "samples_format": "png", "samples_save": false, "grid_save": false,
            "enable_pnginfo": true, "add_model_name_to_info": true, "add_version_to_infotext": true,
            "live_previews_enable": false, "show_progress_every_n_steps": -1,
        ]
        return .json(options, style: .compact)
    }

    /// `POST /sdapi/v1/options`: `sd_model_checkpoint` becomes the caller's model for later txt2img calls
    /// (WebUI changes it for everyone; Darkroom serves many clients). Other settings are accepted and ignored.
    func setOptions(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: gateway.configuration.maxBodyBytes)
        guard case .object(let changes)? = JSONParser.parseOrNil(body.readableBytesView) else {
            return A1111Error.validation([
                .init(location: ["body"], message: "value is not a valid dict", type: "type_error.dict")
            ]).response
        }
        if let checkpoint = changes["sd_model_checkpoint"], checkpoint != .null {
            let name = checkpoint.string.map(Txt2ImgRequest.modelName)
            guard let name, try await knownModels().contains(name) else {
                return A1111Error.http(
                    status: .unprocessableContent, detail: "model \(PythonRepr.repr(checkpoint)) not found"
                ).response
            }
            await callers.choose(model: name, for: WebUICallers.key(of: request, context: context))
        }
        ignored.note(changes.keys.filter { $0 != "sd_model_checkpoint" }, route: "options")
        return .json(nil, style: .compact)
    }

    /// `GET /sdapi/v1/memory`: this host's RAM, and the GPU memory the farm's backends report, summed.
    func memory() async throws -> Response {
        let total = Double(ProcessInfo.processInfo.physicalMemory)
        let cuda: JSONValue =
            if let memory = await gateway.capacity.backends().gpuMemoryTotals {
                [
                    "system": [
                        "free": .int(memory.totalBytes - memory.usedBytes), "used": .int(memory.usedBytes),
                        "total": .int(memory.totalBytes),
                    ]
                ]
            } else {
                ["error": "no backend reports GPU memory"]
            }
        return .json(["ram": ["total": .double(total)], "cuda": cuda], style: .compact)
    }
}
