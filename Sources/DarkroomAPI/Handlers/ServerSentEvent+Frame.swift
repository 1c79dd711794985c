import OpenAPIRuntime

extension ServerSentEvent {
    /// The event as it goes on the wire: its `id`, `event` and `retry` fields, a `data:` line per line of its data,
    /// and the blank line that ends it.
    ///
    /// Darkroom frames its own events because OpenAPIRuntime's serializer searches every event for line breaks
    /// with `replacingOccurrences` over `Character`s (6–8 % of a gateway's CPU under load; docs/benchmarks.md).
    /// Darkroom's data is compact JSON, which has no raw line breaks, so it is copied whole; data with line
    /// breaks (`\n`, `\r\n` or `\r`) still becomes one `data:` line per line, as the format requires.
    var frame: ArraySlice<UInt8> {
        var bytes: [UInt8] = []
        bytes.reserveCapacity((data?.utf8.count ?? 0) + (event?.utf8.count ?? 0) + 24)
        if let id { Self.append(field: "id", value: id, to: &bytes) }
        if let event { Self.append(field: "event", value: event, to: &bytes) }
        if let retry { Self.append(field: "retry", value: String(retry), to: &bytes) }
        if let data {
            if data.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
                let lines = data.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
                for line in lines { Self.append(field: "data", value: line, to: &bytes) }
            } else {
                Self.append(field: "data", value: data, to: &bytes)
            }
        }
        bytes.append(0x0A)
        return bytes[...]
    }

    private static func append(field: String, value: some StringProtocol, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: field.utf8)
        bytes.append(contentsOf: ": ".utf8)
        bytes.append(contentsOf: value.utf8)
        bytes.append(0x0A)
    }
}

extension AsyncStream<ServerSentEvent> {
    /// The stream as a `text/event-stream` body (see ``ServerSentEvent/frame``).
    var eventStreamBody: HTTPBody {
        HTTPBody(map(\.frame), length: .unknown, iterationBehavior: .single)
    }
}
