import DarkroomAPI
import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import DarkroomBackends

/// The A1111-compatible `/sdapi/v1` routes: how an A1111 request becomes a job, WebUI's answer shape, and
/// WebUI's error shapes for bad input. (The real `webuiapi` client runs in IntegrationTests/WebUIClientTests.)
@Suite(.timeLimit(.minutes(5))) struct WebUIRoutesTests {
    let fixture: APITestFixture

    init() async throws {
        fixture = try await APITestFixture()
    }

    @Test("txt2img runs a job with the prompt's LoRA tags and answers images, parameters and info as WebUI does")
    func txt2imgAnswersLikeWebUI() async throws {
        let pool = fixture.makeWorkerPool()
        let body = #"""
            {"prompt": "a portrait <lora:AWPortrait-Z:0.7> of Ada", "width": 512, "height": 768, "steps": 4,
             "seed": 42, "sampler_name": "k_euler", "batch_size": 2, "cfg_scale": 1.5, "not_an_a1111_field": true}
            """#
        try await fixture.whileRunning(pool) {
            try await fixture.makeApp(capacity: pool).test(.live) { live in
                // The answer waits for the job, which a loaded machine may take a while to run.
                let response = try await PatientTestClient.with(port: live.port) { caller in
                    try await caller.post(
                        "/sdapi/v1/txt2img", headers: [.contentType: "application/json"],
                        body: ByteBuffer(string: body))
                }
                let bytes = response.bytes
                #expect(response.status == .ok, "\(String(decoding: bytes, as: UTF8.self))")
                let answer = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
                let images = try #require(answer["images"] as? [String])
                #expect(images.count == 2)
                for image in images {
                    let png = try #require(Data(base64Encoded: image))
                    let size = try PNGHeader(validating: png, label: "image")
                    #expect(size.width == 512 && size.height == 768)
                }
                let parameters = try #require(answer["parameters"] as? [String: Any])
                #expect(parameters["prompt"] as? String == "a portrait <lora:AWPortrait-Z:0.7> of Ada")
                #expect(parameters["not_an_a1111_field"] == nil)
                let infoText = try #require(answer["info"] as? String)
                let info = try #require(try JSONSerialization.jsonObject(with: Data(infoText.utf8)) as? [String: Any])
                #expect(info["seed"] as? Int == 42)
                #expect(info["all_seeds"] as? [Int] == [42, 43])
                #expect(info["width"] as? Int == 512 && info["height"] as? Int == 768)
                #expect(info["steps"] as? Int == 4)
                #expect(info["sampler_name"] as? String == "Euler")
                #expect(info["cfg_scale"] as? Double == 1.5)
                #expect((info["infotexts"] as? [String])?.count == 2)
            }
        }
        let job = try #require(try await fixture.store.list(ListParams()).jobs.first)
        #expect(job.state == .succeeded)
        #expect(job.request.prompt == "a portrait of Ada")
        #expect(job.request.loras == [LoRA(name: "AWPortrait-Z", strength: 0.7)])
        #expect(job.request.sampler == "Euler")
        #expect(job.request.batchSize == 2)
    }

    /// One bad request, and the WebUI-shaped answer it must get.
    struct BadCase: Sendable, CustomStringConvertible {
        var name: String
        var body: String
        var status: HTTPResponse.Status
        /// `loc` of the first item of a 422 `detail` list, or `nil` for an `HTTPException`-shaped answer.
        var location: [String]?
        var type: String?

        var description: String { name }
    }

    static let badRequests = [
        BadCase(
            name: "malformed JSON", body: #"{"prompt": "cut"#, status: .unprocessableContent, location: ["body", "11"],
            type: "value_error.jsondecode"),
        BadCase(
            name: "not an object", body: "[1]", status: .unprocessableContent, location: ["body"],
            type: "type_error.dict"),
        BadCase(
            name: "steps not a number", body: #"{"prompt":"p","steps":"many"}"#, status: .unprocessableContent,
            location: ["body", "steps"], type: "type_error.integer"),
        BadCase(
            name: "width off the grid", body: #"{"prompt":"p","width":1000}"#, status: .unprocessableContent,
            location: ["body", "width"], type: "value_error.invalid_dimension"),
        BadCase(
            name: "empty prompt", body: #"{"prompt":"  "}"#, status: .unprocessableContent,
            location: ["body", "prompt"], type: "value_error.prompt_empty"),
        BadCase(
            name: "LoRA strength out of range", body: #"{"prompt":"p <lora:x:9>"}"#, status: .unprocessableContent,
            location: ["body", "prompt"], type: "value_error.invalid_lora"),
        BadCase(
            name: "unknown sampler", body: #"{"prompt":"p","sampler_name":"Nope"}"#, status: .badRequest, location: nil,
            type: nil),
    ]

    @Test("bad A1111 requests get WebUI's error shapes and create no job", arguments: badRequests)
    func badRequestsGetWebUIErrors(_ bad: BadCase) async throws {
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.execute(
                uri: "/sdapi/v1/txt2img", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: bad.body))
            #expect(response.status == bad.status, "\(response.text)")
            #expect(response.mediaType == "application/json")
            let answer = try response.jsonObject()
            if let location = bad.location {
                let first = try #require((answer["detail"] as? [[String: Any]])?.first, "\(response.text)")
                #expect((first["loc"] as? [Any])?.map { "\($0)" } == location, "\(response.text)")
                #expect(first["type"] as? String == bad.type)
                #expect(first["msg"] as? String != nil)
            } else {
                #expect(answer["detail"] as? String == "Sampler not found")
                #expect(answer["error"] as? String == "HTTPException")
            }
        }
        #expect(try await fixture.store.list(ListParams()).jobs.isEmpty)
    }

    @Test("options: an unknown model is refused; a known one becomes the caller's model for later calls")
    func optionsChooseTheCallersModel() async throws {
        try await fixture.makeApp().test(.router) { client in
            let unknown = try await client.execute(
                uri: "/sdapi/v1/options", method: .post, body: ByteBuffer(string: #"{"sd_model_checkpoint":"sdxl"}"#))
            #expect(unknown.status == .unprocessableContent)
            #expect(try unknown.jsonObject()["detail"] as? String == "model 'sdxl' not found")

            let known = try await client.execute(
                uri: "/sdapi/v1/options", method: .post,
                body: ByteBuffer(
                    string: #"{"sd_model_checkpoint":"z_image_turbo_bf16.safetensors [1a2b3c]","samples_save":false}"#))
            #expect(known.status == .ok)
            let options = try await client.get("/sdapi/v1/options")
            #expect(try options.jsonObject()["sd_model_checkpoint"] as? String == "z_image_turbo_bf16")
        }
    }

    @Test("listings: models, LoRAs, samplers and schedulers in WebUI's shapes; ping and scripts answer")
    func listings() async throws {
        try await fixture.makeApp().test(.router) { client in
            let models =
                try JSONSerialization.jsonObject(with: try await client.get("/sdapi/v1/sd-models").bytes)
                as? [[String: Any]]
            #expect(models?.first?["model_name"] as? String == "z_image_turbo_bf16")
            #expect(models?.first?["title"] as? String == "z_image_turbo_bf16")
            let loras =
                try JSONSerialization.jsonObject(with: try await client.get("/sdapi/v1/loras").bytes)
                as? [[String: Any]]
            #expect(loras?.map { $0["name"] as? String } == ["AWPortrait-Z"])
            let samplers =
                try JSONSerialization.jsonObject(with: try await client.get("/sdapi/v1/samplers").bytes)
                as? [[String: Any]]
            #expect(samplers?.contains { $0["name"] as? String == "Euler a" } == true)
            let schedulers =
                try JSONSerialization.jsonObject(with: try await client.get("/sdapi/v1/schedulers").bytes)
                as? [[String: Any]]
            #expect(schedulers?.first?["name"] as? String == "automatic")
            #expect(try await client.get("/internal/ping").text == "{}")
            #expect(try await client.get("/sdapi/v1/scripts").jsonObject().keys.sorted() == ["img2img", "txt2img"])
        }
    }

    @Test(
        "progress reports a queued job with its expected wait; interrupt cancels it and its call answers without images"
    )
    func progressAndInterruptOfAQueuedJob() async throws {
        // No worker runs: the job stays queued until the interrupt.
        try await fixture.makeApp().test(.live) { live in
            // The waiting call has a connection of its own.
            async let call = PatientTestClient.with(port: live.port) { caller in
                try await caller.post("/sdapi/v1/txt2img", body: ByteBuffer(string: #"{"prompt":"waiting"}"#))
            }
            let changes = fixture.store.changes()
            if try await fixture.store.list(ListParams(state: .queued)).jobs.isEmpty {
                for await job in changes where job.state == .queued { break }
            }
            let queued = try #require(try await fixture.store.list(ListParams(state: .queued)).jobs.first)
            try await PatientTestClient.with(port: live.port) { client in
                let progress = try await client.get("/sdapi/v1/progress").jsonObject()
                #expect(progress["progress"] as? Double == 0.01)
                #expect((progress["state"] as? [String: Any])?["job"] as? String == "queued")
                #expect((progress["state"] as? [String: Any])?["job_count"] as? Int == 1)
                #expect(progress["current_task"] as? String == queued.id.rawValue)

                let interrupt = try await client.post("/sdapi/v1/interrupt", body: ByteBuffer())
                #expect(String(decoding: interrupt.bytes, as: UTF8.self) == "{}")
            }
            let answer = try await call
            #expect(answer.status == .ok)
            #expect((try answer.jsonObject()["images"] as? [Any])?.isEmpty == true)
            #expect(try await fixture.store.job(id: queued.id)?.state == .canceled)
        }
    }

    @Test("interrupt from another caller (other credentials) leaves the job alone; its own caller's interrupt stops it")
    func interruptIsPerCaller() async throws {
        try await fixture.makeApp().test(.live) { live in
            let ada: HTTPFields = [.authorization: "Basic YWRhOnB3"]
            let bob: HTTPFields = [.authorization: "Basic Ym9iOnB3"]
            // The waiting call has a connection of its own.
            async let call = PatientTestClient.with(port: live.port) { caller in
                try await caller.post(
                    "/sdapi/v1/txt2img", headers: ada, body: ByteBuffer(string: #"{"prompt":"ada's"}"#))
            }
            let changes = fixture.store.changes()
            if try await fixture.store.list(ListParams(state: .queued)).jobs.isEmpty {
                for await job in changes where job.state == .queued { break }
            }
            let queued = try #require(try await fixture.store.list(ListParams(state: .queued)).jobs.first)

            try await PatientTestClient.with(port: live.port) { client in
                _ = try await client.post("/sdapi/v1/interrupt", headers: bob, body: ByteBuffer())
                #expect(try await fixture.store.job(id: queued.id)?.state == .queued)
                _ = try await client.post("/sdapi/v1/interrupt", headers: ada, body: ByteBuffer())
            }
            #expect(try await call.status == .ok)
            #expect(try await fixture.store.job(id: queued.id)?.state == .canceled)
        }
    }
}
