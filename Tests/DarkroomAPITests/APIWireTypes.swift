import Foundation

/// A job as the API sends it, decoded independently of the generated server types.
struct JobBody: Decodable, Sendable {
    struct Parameters: Decodable, Sendable {
        var prompt: String
        var negativePrompt: String
        var width: Int
        var height: Int
        var steps: Int
        var seed: Int64
        var cfgScale: Double
        var sampler: String
        var model: String
        var loras: [LoRABody]
        var batchSize: Int
    }

    struct LoRABody: Decodable, Sendable, Equatable {
        var name: String
        var strength: Double
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

    var id: String
    var state: String
    var priority: Int
    var request: Parameters
    var progress: Progress
    var attempt: Int
    var maxAttempts: Int
    var position: Int?
    var estimatedWaitSeconds: Double?
    var createdAt: String
    var images: [Image]
    var deadlineAt: String?
    var error: ErrorBody?

    struct ErrorBody: Decodable, Sendable {
        var code: String
        var message: String
    }
}

/// A page of `GET /v1/jobs`.
struct JobPageBody: Decodable, Sendable {
    var jobs: [JobBody]
    var nextCursor: String?
}

/// An RFC 9457 problem body.
struct ProblemBody: Decodable, Sendable {
    var type: String
    var title: String
    var status: Int
    var detail: String?
    var code: String
    var field: String?
}

extension JSONDecoder {
    /// Decodes the API's snake_case keys into the camelCase properties above.
    static var snakeCase: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
