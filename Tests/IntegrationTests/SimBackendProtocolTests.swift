import Foundation
import NIOHTTP1
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `darkroom sim-backend` speaks the real SD WebUI (A1111) and ComfyUI protocols: raw HTTP and WebSocket
/// against the child process, asserting upstream's routes, shapes, status codes and event order.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct SimBackendProtocolTests {
    /// Starts `darkroom sim-backend --protocol <kind>` on a free loopback port.
    func start(_ kind: String, seconds: Double = 0.2, _ options: [String] = []) async throws -> ServerProcess {
        try await ServerProcess.launch(
            ["sim-backend", "--protocol", kind, "--host", "127.0.0.1", "--port", "0", "--seconds", "\(seconds)"]
                + options)
    }

    func txt2img(_ api: APIClient, _ body: [String: Any]) async throws -> HTTPAnswer {
        try await api.request(.POST, "/sdapi/v1/txt2img", body: try jsonBody(body))
    }

    // MARK: A1111

    @Test("A1111 txt2img returns base64 PNGs of the requested size and an info string with all_seeds seed, seed+1")
    func a1111Txt2Img() async throws {
        let server = try await start("a1111")
        defer { server.stop() }
        let answer = try await txt2img(
            server.api,
            [
                "prompt": "portrait <lora:AWPortrait-Z:0.8> <lora:Missing:1>", "steps": 8, "width": 512, "height": 768,
                "seed": 4242, "batch_size": 2, "cfg_scale": 1, "sampler_name": "Euler", "unknown_key": true,
            ])
        #expect(answer.status == 200, "\(answer.text)")
        let body = try jsonObject(answer.body)
        let images = try #require(body["images"] as? [String])
        #expect(images.count == 2)
        for image in images {
            let png = try #require(Data(base64Encoded: image), "images are bare base64")
            #expect(PNGHeader(png) == PNGHeader(width: 512, height: 768))
        }
        let parameters = try #require(body["parameters"] as? [String: Any])
        #expect(parameters["seed"] as? Int == 4242)
        #expect(parameters["n_iter"] as? Int == 1, "defaults are echoed")
        #expect(parameters["unknown_key"] == nil, "unknown keys are ignored")
        let infoText = try #require(body["info"] as? String, "info is a JSON string")
        let info = try jsonObject(Data(infoText.utf8))
        #expect(info["seed"] as? Int == 4242)
        #expect(info["all_seeds"] as? [Int] == [4242, 4243])
        #expect(info["width"] as? Int == 512 && info["height"] as? Int == 768)
        #expect(info["sampler_name"] as? String == "Euler")
        #expect(info["sd_model_name"] as? String == "z_image_turbo_bf16")
        let infotexts = try #require(info["infotexts"] as? [String])
        #expect(infotexts.count == 2)
        #expect(infotexts.allSatisfy { $0.contains("Lora hashes: \"AWPortrait-Z: ") && !$0.contains("Missing: ") })
        #expect(infotexts.last?.contains("Seed: 4243") == true)
    }

    @Test("A1111 progress rises during a run and is idle (0, 0, job_count 0) after it")
    func a1111Progress() async throws {
        let server = try await start("a1111", seconds: 8)
        defer { server.stop() }
        let api = server.api
        // 1024×1024 at 24 steps: 24 s of simulated GPU time, a second a step, so a loaded machine still sees the
        // steps rise while it runs; the test interrupts it once it has.
        let run = Task { try await txt2img(api, ["steps": 24, "width": 1024, "height": 1024]) }
        func progress() async throws -> (value: Double, state: [String: Any]) {
            let body = try jsonObject(try await api.get("/sdapi/v1/progress?skip_current_image=true").body)
            return (body["progress"] as? Double ?? -1, body["state"] as? [String: Any] ?? [:])
        }
        let first = try await waitUntil("a step has run", every: .milliseconds(20)) {
            let now = try await progress()
            return (now.state["sampling_step"] as? Int ?? 0) >= 1 && now.state["job_count"] as? Int == 1 ? now : nil
        }
        #expect(first.value > 0.01 && first.value < 1)
        #expect(first.state["sampling_steps"] as? Int == 24)
        #expect(first.state["job"] as? String == "scripts_txt2img")
        let later = try await waitUntil("progress rises", every: .milliseconds(20)) {
            let now = try await progress()
            return now.value > first.value ? now : nil
        }
        #expect(later.value <= 1)
        _ = try await api.request(.POST, "/sdapi/v1/interrupt")
        #expect(try await run.value.status == 200)
        let idle = try jsonObject(try await api.get("/sdapi/v1/progress").body)
        #expect(idle["progress"] as? Double == 0)
        #expect(idle["eta_relative"] as? Double == 0)
        #expect((idle["state"] as? [String: Any])?["job_count"] as? Int == 0)
    }

    @Test("A1111 interrupt ends the running request early with 200 and one partial image")
    func a1111Interrupt() async throws {
        // 60 s of GPU time, 7.5 s a step: an interrupted run ends within a step, an uninterrupted one takes a minute.
        let server = try await start("a1111", seconds: 60)
        defer { server.stop() }
        let api = server.api
        let started = ContinuousClock.now
        let run = Task { try await txt2img(api, ["steps": 8, "width": 1024, "height": 1024, "seed": 7]) }
        _ = try await waitUntil("the job runs", every: .milliseconds(20)) {
            let state = try jsonObject(try await api.get("/sdapi/v1/progress").body)["state"] as? [String: Any]
            return state?["job_count"] as? Int == 1 ? true : nil
        }
        let interrupt = try await api.request(.POST, "/sdapi/v1/interrupt")
        #expect(interrupt.status == 200 && interrupt.text == "{}")
        let answer = try await run.value
        #expect(ContinuousClock.now - started < .seconds(60), "it stopped before its 60 s of GPU time")
        #expect(answer.status == 200, "\(answer.text)")
        let images = try #require(try jsonObject(answer.body)["images"] as? [String])
        #expect(images.count == 1)
        #expect(PNGHeader(try #require(Data(base64Encoded: images[0]))) == PNGHeader(width: 1024, height: 1024))
        let skip = try await api.request(.POST, "/sdapi/v1/skip")
        #expect(skip.status == 200 && skip.text == "null")
    }

    @Test("A1111 with --oom-rate 1 answers 500 OutOfMemoryError and counts it in /sdapi/v1/memory")
    func a1111OutOfMemory() async throws {
        let server = try await start("a1111", ["--oom-rate", "1"])
        defer { server.stop() }
        let answer = try await txt2img(server.api, ["prompt": "portrait", "steps": 8])
        #expect(answer.status == 500)
        let body = try jsonObject(answer.body)
        #expect(body["error"] as? String == "OutOfMemoryError")
        #expect(body["detail"] as? String == "" && body["body"] as? String == "")
        #expect((body["errors"] as? String)?.hasPrefix("CUDA out of memory. Tried to allocate") == true)
        let memory = try jsonObject(try await server.api.get("/sdapi/v1/memory").body)
        let cuda = try #require(memory["cuda"] as? [String: Any])
        #expect((cuda["events"] as? [String: Any])?["oom"] as? Int == 1)
        #expect((cuda["system"] as? [String: Any])?["total"] as? Int == 24 << 30)
    }

    @Test("A1111 rejects an unknown sampler with 400 and a wrongly typed field with 422")
    func a1111BadRequests() async throws {
        let server = try await start("a1111")
        defer { server.stop() }
        let sampler = try await txt2img(server.api, ["sampler_name": "Euler Turbo"])
        #expect(sampler.status == 400)
        let error = try jsonObject(sampler.body)
        #expect(error["error"] as? String == "HTTPException")
        #expect(error["detail"] as? String == "Sampler not found")
        #expect(error["errors"] as? String == "400: Sampler not found")
        let typed = try await txt2img(server.api, ["steps": "eight"])
        #expect(typed.status == 422)
        let detail = try #require(try jsonObject(typed.body)["detail"] as? [[String: Any]])
        #expect(detail.first?["loc"] as? [String] == ["body", "steps"])
        #expect(detail.first?["type"] as? String == "type_error.integer")
        let malformed = try await server.api.post("/sdapi/v1/txt2img", raw: "{\"steps\": ")
        #expect(malformed.status == 422)
        let loras =
            try JSONSerialization.jsonObject(with: try await server.api.get("/sdapi/v1/loras").body) as? [[String: Any]]
        #expect(loras?.map { $0["name"] as? String } == ["AWPortrait-Z"])
    }

    @Test(
        "A1111 runs one request at a time: of two concurrent calls, the second ends two service times after the start")
    func a1111OneAtATime() async throws {
        let service = 0.6
        let server = try await start("a1111", seconds: service)
        defer { server.stop() }
        let api = server.api
        let started = ContinuousClock.now
        let finishes = try await withThrowingTaskGroup(of: Duration.self) { group in
            for seed in [1, 2] {
                group.addTask {
                    let answer = try await txt2img(api, ["steps": 8, "width": 1024, "height": 1024, "seed": seed])
                    #expect(answer.status == 200, "\(answer.text)")
                    return ContinuousClock.now - started
                }
            }
            return try await group.reduce(into: [Duration]()) { $0.append($1) }.sorted()
        }
        // Lower bounds only, which a loaded machine cannot break (it can only delay): run side by side, both
        // calls would end after about one service time; in turn, the second ends after two.
        #expect(finishes[0] >= .seconds(service * 0.9), "\(finishes)")
        #expect(finishes[1] >= .seconds(service * 1.8), "the second waited for the first: \(finishes)")
    }

    // MARK: ComfyUI

    @Test(
        "ComfyUI runs the Z-Image graph: progress over the WebSocket, execution_success, executing null, history and /view"
    )
    func comfyRunsGraph() async throws {
        let server = try await start("comfyui")
        defer { server.stop() }
        let socket = try await ComfyWebSocket.connect(baseURL: server.baseURL, clientID: "darkroom-test")
        defer { socket.close() }
        let posted = try await server.api.request(
            .POST, "/prompt", body: ZImageGraph.body(clientID: socket.clientID, seed: 99, batchSize: 2))
        #expect(posted.status == 200, "\(posted.text)")
        let accepted = try jsonObject(posted.body)
        let promptID = try #require(accepted["prompt_id"] as? String)
        #expect((accepted["node_errors"] as? [String: Any])?.isEmpty == true)
        #expect(accepted["number"] is NSNumber)
        _ = try await socket.waitFor("executing") { $0["node"] is NSNull && $0["prompt_id"] as? String == promptID }

        let events = socket.events.filter { $0.type == "status" || $0.promptID == promptID }
        let types = events.map(\.type)
        let start = try #require(events.first { $0.type == "execution_start" })
        #expect(start.data["timestamp"] is NSNumber, "execution_* events carry a timestamp")
        let steps = events.filter { $0.type == "progress" }
        #expect(steps.map { $0.data["value"] as? Int } == (1...8).map { $0 })
        #expect(steps.allSatisfy { $0.data["max"] as? Int == 8 && $0.data["node"] as? String == "9" })
        let firstProgress = try #require(types.firstIndex(of: "progress"))
        #expect(types[firstProgress - 1] == "progress_state")
        let executed = try #require(events.first { $0.type == "executed" })
        #expect(executed.data["node"] as? String == "11")
        let success = try #require(types.firstIndex(of: "execution_success"))
        #expect(try #require(types.firstIndex(of: "execution_cached")) < firstProgress && firstProgress < success)
        #expect(types[success...].dropLast().contains("status"), "status is broadcast after history is written")

        let history = try jsonObject(try await server.api.get("/history/\(promptID)").body)
        let entry = try #require(history[promptID] as? [String: Any])
        let status = try #require(entry["status"] as? [String: Any])
        #expect(status["status_str"] as? String == "success" && status["completed"] as? Bool == true)
        let outputs = try #require(entry["outputs"] as? [String: [String: [[String: String]]]])
        let images = try #require(outputs["11"]?["images"])
        #expect(images.map { $0["filename"] } == ["job_00001_.png", "job_00002_.png"])
        #expect(images.allSatisfy { $0["subfolder"] == "darkroom" && $0["type"] == "output" })
        let view = try await server.api.get("/view?filename=job_00002_.png&subfolder=darkroom&type=output")
        #expect(view.status == 200 && view.contentType == "image/png")
        #expect(PNGHeader(view.body) == PNGHeader(width: 512, height: 512))
        #expect(try await server.api.get("/view?filename=../secret.png").status == 400)
        #expect(try await server.api.get("/view?filename=nothing.png").status == 404)
    }

    @Test("ComfyUI refuses a LoRA file it does not have: 400 with node_errors naming the node and value_not_in_list")
    func comfyUnknownLoRA() async throws {
        let server = try await start("comfyui")
        defer { server.stop() }
        let answer = try await server.api.request(
            .POST, "/api/prompt", body: ZImageGraph.body(clientID: "c", lora: "NoSuchLoRA.safetensors"))
        #expect(answer.status == 400)
        let body = try jsonObject(answer.body)
        let error = try #require(body["error"] as? [String: Any])
        #expect(error["type"] as? String == "prompt_outputs_failed_validation")
        #expect(error["message"] as? String == "Prompt outputs failed validation")
        let node = try #require((body["node_errors"] as? [String: Any])?["4"] as? [String: Any])
        #expect(node["class_type"] as? String == "LoraLoaderModelOnly")
        #expect(node["dependent_outputs"] as? [String] == ["11"])
        let reason = try #require((node["errors"] as? [[String: Any]])?.first)
        #expect(reason["type"] as? String == "value_not_in_list")
        #expect(
            reason["details"] as? String == "lora_name: 'NoSuchLoRA.safetensors' not in ['AWPortrait-Z.safetensors']")
        #expect((reason["extra_info"] as? [String: Any])?["input_name"] as? String == "lora_name")
        let missing = try await server.api.post("/prompt", raw: "{\"client_id\": \"c\"}")
        #expect(missing.status == 400)
        #expect(((try jsonObject(missing.body))["error"] as? [String: Any])?["type"] as? String == "no_prompt")
        #expect(try await server.api.post("/prompt", raw: "not json").status == 500)
    }

    @Test(
        "ComfyUI with --oom-rate 1 reports execution_error with torch.OutOfMemoryError, and history records the error")
    func comfyOutOfMemory() async throws {
        let server = try await start("comfyui", ["--oom-rate", "1"])
        defer { server.stop() }
        let socket = try await ComfyWebSocket.connect(baseURL: server.baseURL, clientID: "oom")
        defer { socket.close() }
        let posted = try jsonObject(
            try await server.api.request(.POST, "/prompt", body: ZImageGraph.body(clientID: socket.clientID)).body)
        let promptID = try #require(posted["prompt_id"] as? String)
        let error = try await socket.waitFor("execution_error") { $0["prompt_id"] as? String == promptID }
        #expect(error.data["exception_type"] as? String == "torch.OutOfMemoryError")
        #expect((error.data["exception_message"] as? String)?.hasPrefix("Allocation on device \n") == true)
        #expect(error.data["node_id"] as? String == "9" && error.data["node_type"] as? String == "KSampler")
        _ = try await socket.waitFor("executing") { $0["node"] is NSNull && $0["prompt_id"] as? String == promptID }
        #expect(!socket.events.contains { $0.type == "execution_success" })
        let entry = try jsonObject(try await server.api.get("/history/\(promptID)").body)[promptID] as? [String: Any]
        let status = try #require(entry?["status"] as? [String: Any])
        #expect(status["status_str"] as? String == "error" && status["completed"] as? Bool == false)
    }

    @Test("ComfyUI /interrupt stops the running prompt with execution_interrupted; history is {} until then")
    func comfyInterrupt() async throws {
        // Far longer than any delay a loaded machine puts between the first progress and the interrupt.
        let server = try await start("comfyui", seconds: 60)
        defer { server.stop() }
        let api = server.api
        let socket = try await ComfyWebSocket.connect(baseURL: server.baseURL, clientID: "interrupt")
        defer { socket.close() }
        let posted = try jsonObject(
            try await api.request(
                .POST, "/prompt", body: ZImageGraph.body(clientID: "interrupt", width: 1024, height: 1024)
            )
            .body)
        let promptID = try #require(posted["prompt_id"] as? String)
        _ = try await socket.waitFor("progress") { $0["prompt_id"] as? String == promptID }
        #expect(try jsonObject(try await api.get("/history/\(promptID)").body).isEmpty, "not in history while running")
        let queue = try jsonObject(try await api.get("/queue").body)
        #expect((queue["queue_running"] as? [[Any]])?.first?[1] as? String == promptID)
        let prompt = try jsonObject(try await api.get("/prompt").body)
        #expect((prompt["exec_info"] as? [String: Any])?["queue_remaining"] as? Int == 1)

        let other = try await api.post("/interrupt", raw: "{\"prompt_id\": \"not-running\"}")
        #expect(other.status == 200)
        let interrupt = try await api.post("/interrupt", raw: "{\"prompt_id\": \"\(promptID)\"}")
        #expect(interrupt.status == 200)
        let stopped = try await socket.waitFor("execution_interrupted") { $0["prompt_id"] as? String == promptID }
        #expect(stopped.data["node_type"] as? String == "KSampler")
        _ = try await socket.waitFor("executing") { $0["node"] is NSNull && $0["prompt_id"] as? String == promptID }
        let entry = try jsonObject(try await api.get("/history/\(promptID)").body)[promptID] as? [String: Any]
        let status = try #require(entry?["status"] as? [String: Any])
        #expect(status["status_str"] as? String == "error")
        let messages = try #require(status["messages"] as? [[Any]])
        #expect(messages.compactMap { $0.first as? String }.last == "execution_interrupted")
    }

    // MARK: Both

    @Test("--fail-rate 1: A1111 answers 500 RuntimeError mid-run; ComfyUI answers POST /prompt with aiohttp's 500 text")
    func failRate() async throws {
        let a1111 = try await start("a1111", ["--fail-rate", "1"])
        defer { a1111.stop() }
        let answer = try await txt2img(a1111.api, ["steps": 8])
        #expect(answer.status == 500)
        #expect(try jsonObject(answer.body)["error"] as? String == "RuntimeError")
        let comfy = try await start("comfyui", ["--fail-rate", "1"])
        defer { comfy.stop() }
        let posted = try await comfy.api.request(.POST, "/prompt", body: ZImageGraph.body(clientID: "f"))
        #expect(posted.status == 500 && posted.text.hasPrefix("500 Internal Server Error"), "\(posted.text)")
        let queue = try jsonObject(try await comfy.api.get("/prompt").body)
        #expect((queue["exec_info"] as? [String: Any])?["queue_remaining"] as? Int == 0, "nothing was queued")
    }

    @Test(
        "sim-backend refuses rates outside 0…1 and negative seconds",
        arguments: [
            ["--oom-rate", "1.5"], ["--fail-rate", "-0.1"], ["--seconds", "-1"],
        ])
    func refusesBadOptions(options: [String]) async throws {
        await #expect(throws: ServerProcess.StartFailed.self) { _ = try await start("a1111", options) }
    }

    @Test("SIGTERM stops a busy simulated server long before its job would end", arguments: ["a1111", "comfyui"])
    func stopsOnSIGTERM(kind: String) async throws {
        let server = try await start(kind, seconds: 300)
        defer { server.stop() }
        let api = server.api
        var socket: ComfyWebSocket?
        if kind == "a1111" {
            Task { try? await txt2img(api, ["steps": 8, "width": 1024, "height": 1024]) }
            _ = try await waitUntil("the job runs", every: .milliseconds(20)) {
                let state = try jsonObject(try await api.get("/sdapi/v1/progress").body)["state"] as? [String: Any]
                return state?["job_count"] as? Int == 1 ? true : nil
            }
        } else {
            let connected = try await ComfyWebSocket.connect(baseURL: server.baseURL, clientID: "term")
            socket = connected
            _ = try await api.request(.POST, "/prompt", body: ZImageGraph.body(clientID: "term", steps: 80))
            _ = try await connected.waitFor("progress")
        }
        defer { socket?.close() }
        server.child.send(SIGTERM)
        try await server.child.requireExit(within: .seconds(120))
        #expect(server.child.exitStatus == 0, "\(server.log)")
    }
}
