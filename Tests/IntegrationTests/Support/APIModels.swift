import Foundation

/// The body of POST /v1/jobs; fields left `nil` are omitted and take the server's defaults.
struct JobRequestBody: Encodable, Sendable {
    var prompt: String
    var width: Int?
    var height: Int?
    var steps: Int?
    var seed: Int64?
    var batchSize: Int?
    var priority: Int?
    var loras: [LoRABody]?

    /// A LoRA in a request body.
    struct LoRABody: Encodable, Sendable {
        var name: String
        var strength: Double
    }

    init(
        prompt: String, width: Int? = nil, height: Int? = nil, steps: Int? = nil, seed: Int64? = nil,
        batchSize: Int? = nil, priority: Int? = nil, loras: [LoRABody]? = nil
    ) {
        self.loras = loras
        self.prompt = prompt
        self.width = width
        self.height = height
        self.steps = steps
        self.seed = seed
        self.batchSize = batchSize
        self.priority = priority
    }

    enum CodingKeys: String, CodingKey {
        case prompt, width, height, steps, seed, priority, loras
        case batchSize = "batch_size"
    }
}

/// A job as the API returns it (the fields the tests read).
struct JobJSON: Decodable, Sendable, CustomStringConvertible {
    struct Parameters: Decodable, Sendable {
        var prompt: String
        var width: Int
        var height: Int
        var steps: Int
        var seed: Int64
        var batchSize: Int
    }

    struct Progress: Decodable, Sendable {
        var step: Int
        var steps: Int
    }

    struct Image: Decodable, Sendable {
        var url: String
        var width: Int
        var height: Int
        var seed: Int64
        var sha256: String
    }

    struct Failure: Decodable, Sendable {
        var code: String
        var message: String
    }

    var id: String
    var state: String
    var priority: Int
    var attempt: Int
    var backend: String?
    var position: Int?
    var request: Parameters
    var progress: Progress
    var images: [Image]
    var error: Failure?
    var createdAt: String
    var startedAt: String?
    var finishedAt: String?

    var isTerminal: Bool { ["succeeded", "failed", "canceled"].contains(state) }

    var description: String { "\(id) \(state)" + (error.map { " (\($0.code))" } ?? "") }
}

struct JobPageJSON: Decodable, Sendable {
    var jobs: [JobJSON]
    var nextCursor: String?
}

struct QueueJSON: Decodable, Sendable {
    /// A backend as `/v1/queue` lists it.
    struct Backend: Decodable, Sendable {
        var id: String
        var worker: String
        var kind: String
        var breaker: String
        var slots: Int
        var busySlots: Int
        var reachable: Bool
        var loaded: String?
        var gpuMemoryTotalBytes: Int64?
    }

    var queued: Int
    var running: Int
    var slots: Int
    var busySlots: Int
    var backends: [Backend]
}

/// An RFC 9457 problem body.
struct ProblemJSON: Decodable, Sendable {
    var type: String
    var title: String
    var status: Int
    var detail: String?
    var code: String
    var field: String?
}

/// Parses the API's timestamps (RFC 3339 with fractional seconds).
func apiDate(_ text: String?) -> Date? {
    guard let text else { return nil }
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.date(from: text)
}
