import Foundation

extension Components.Schemas.Job {
    /// The job as JSON for a `state` event, written field by field: what ``DarkroomHTTP/jsonEncoder`` writes
    /// (sorted keys, millisecond timestamps, `/` unescaped), read back by any JSON decoder as the same job.
    ///
    /// Every job followed by a stream gets three of these (queued, running, and how it ended); through
    /// `JSONEncoder` they were the largest single item of the control plane's profile after the store
    /// (docs/benchmarks.md). `JobEventJSONTests` holds it to `JSONEncoder` for every field.
    var eventJSON: String {
        var json = CompactJSON()
        json.object { job in
            job.field("attempt") { $0.integer(attempt) }
            job.field("backend", backend) { $0.string($1) }
            job.field("created_at") { $0.timestamp(createdAt) }
            job.field("deadline_at", deadlineAt) { $0.timestamp($1) }
            job.field("error", error) { json, error in
                json.object {
                    $0.field("code") { $0.string(error.code) }
                    $0.field("message") { $0.string(error.message) }
                }
            }
            job.field("estimated_finish_at", estimatedFinishAt) { $0.timestamp($1) }
            job.field("estimated_start_at", estimatedStartAt) { $0.timestamp($1) }
            job.field("estimated_wait_seconds", estimatedWaitSeconds.flatMap { $0.isFinite ? $0 : nil }) {
                $0.number($1)
            }
            job.field("finished_at", finishedAt) { $0.timestamp($1) }
            job.field("id") { $0.string(id) }
            job.field("images") { $0.array(images, Self.write) }
            job.field("max_attempts") { $0.integer(maxAttempts) }
            job.field("metadata", metadata.flatMap(Self.metadataJSON)) { $0.raw($1) }
            job.field("position", position) { $0.integer($1) }
            job.field("priority") { $0.integer(priority) }
            job.field("progress") { json in
                json.object {
                    $0.field("step") { $0.integer(progress.step) }
                    $0.field("steps") { $0.integer(progress.steps) }
                }
            }
            job.field("request") { Self.write(&$0, request) }
            job.field("started_at", startedAt) { $0.timestamp($1) }
            job.field("state") { $0.string(state.rawValue) }
            job.field("webhook_events", webhookEvents) { json, events in json.array(events) { $0.string($1.rawValue) } }
            job.field("webhook_url", webhookUrl) { $0.string($1) }
        }
        return json.text
    }

    private static func write(_ json: inout CompactJSON, _ request: Components.Schemas.GenerationParameters) {
        json.object { fields in
            fields.field("batch_size") { $0.integer(request.batchSize) }
            fields.field("cfg_scale") { $0.number(request.cfgScale) }
            fields.field("height") { $0.integer(request.height) }
            fields.field("loras") { json in
                json.array(request.loras) { json, lora in
                    json.object {
                        $0.field("name") { $0.string(lora.name) }
                        $0.field("strength", lora.strength) { $0.number($1) }
                    }
                }
            }
            fields.field("model") { $0.string(request.model) }
            fields.field("negative_prompt") { $0.string(request.negativePrompt) }
            fields.field("prompt") { $0.string(request.prompt) }
            fields.field("sampler") { $0.string(request.sampler) }
            fields.field("seed") { $0.integer(request.seed) }
            fields.field("steps") { $0.integer(request.steps) }
            fields.field("width") { $0.integer(request.width) }
        }
    }

    private static func write(_ json: inout CompactJSON, _ image: Components.Schemas.Image) {
        json.object {
            $0.field("height") { $0.integer(image.height) }
            $0.field("seed") { $0.integer(image.seed) }
            $0.field("sha256") { $0.string(image.sha256) }
            $0.field("url") { $0.string(image.url) }
            $0.field("width") { $0.integer(image.width) }
        }
    }

    /// A client's metadata, any JSON object: rare, and left to the encoder.
    private static func metadataJSON(_ metadata: MetadataPayload) -> String? {
        (try? DarkroomHTTP.jsonEncoder.encode(metadata)).map { String(decoding: $0, as: UTF8.self) }
    }
}
