import Foundation

/// The fields of a Darkroom job JSON (`POST /v1/jobs`, `GET /v1/jobs/{id}`, a `state` event) the bench reads.
///
/// Timestamps are ISO 8601 with or without fractional seconds; one that does not parse reads as missing.
public struct ObservedJob: Sendable, Equatable, Decodable {
    public var id: String
    /// `queued`, `running`, `succeeded`, `failed`, `canceled` or `expired`.
    public var state: String
    public var createdAt: Date?
    public var startedAt: Date?
    public var finishedAt: Date?

    public init(id: String, state: String, createdAt: Date? = nil, startedAt: Date? = nil, finishedAt: Date? = nil) {
        self.id = id
        self.state = state
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    private enum CodingKeys: String, CodingKey {
        case id, state
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        state = try container.decode(String.self, forKey: .state)
        createdAt = Self.date(try container.decodeIfPresent(String.self, forKey: .createdAt))
        startedAt = Self.date(try container.decodeIfPresent(String.self, forKey: .startedAt))
        finishedAt = Self.date(try container.decodeIfPresent(String.self, forKey: .finishedAt))
    }

    /// Decodes a job JSON body.
    public static func decode(_ data: Data) throws -> ObservedJob {
        try JSONDecoder().decode(ObservedJob.self, from: data)
    }

    /// Whether the job has reached `succeeded`, `failed`, `canceled` or `expired`.
    public var isTerminal: Bool { ["succeeded", "failed", "canceled", "expired"].contains(state) }

    public var isSucceeded: Bool { state == "succeeded" }

    /// Parses `2026-11-26T10:00:00.123Z` or `2026-11-26T10:00:00Z`.
    static func date(_ text: String?) -> Date? {
        guard let text else { return nil }
        return (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
            ?? (try? Date.ISO8601FormatStyle().parse(text))
    }
}
