/// Splits a `text/event-stream` body, fed in chunks of any size, into ``ServerSentEvent``s.
///
/// Follows the WHATWG rules that matter here: lines end in LF, CRLF or CR (also when a CRLF is split across
/// chunks); a blank line dispatches the event; `event:` sets the type, `data:` appends a line (joined by LF);
/// one space after the colon is dropped; lines starting with `:` are comments; `id:`, `retry:` and unknown
/// fields are ignored; an event with no data is not dispatched. A line longer than ``maximumLineBytes`` throws
/// ``LineTooLong``, so a babbling server cannot exhaust memory.
public struct ServerSentEventParser: Sendable {
    /// A line exceeded ``maximumLineBytes``.
    public struct LineTooLong: Error, Equatable {}

    public let maximumLineBytes: Int
    private var line: [UInt8] = []
    private var skipNextLineFeed = false
    private var eventType = ""
    private var dataLines: [String] = []

    public init(maximumLineBytes: Int = 1 << 20) {
        self.maximumLineBytes = maximumLineBytes
    }

    /// Consumes `bytes` and returns the events they complete, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(LineTooLong) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if skipNextLineFeed {
                skipNextLineFeed = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\r"):
                skipNextLineFeed = true
                if let event = endLine() { events.append(event) }
            case UInt8(ascii: "\n"):
                if let event = endLine() { events.append(event) }
            default:
                guard line.count < maximumLineBytes else { throw LineTooLong() }
                line.append(byte)
            }
        }
        return events
    }

    /// Handles the line collected so far; returns an event when it was the blank line ending one.
    private mutating func endLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        guard !line.isEmpty else { return dispatch() }
        guard line.first != UInt8(ascii: ":") else { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        let field = String(decoding: line[..<colon], as: UTF8.self)
        var valueStart = colon < line.endIndex ? colon + 1 : colon
        if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = String(decoding: line[valueStart...], as: UTF8.self)
        switch field {
        case "event": eventType = value
        case "data": dataLines.append(value)
        default: break
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            eventType = ""
            dataLines = []
        }
        guard !dataLines.isEmpty else { return nil }
        return ServerSentEvent(
            event: eventType.isEmpty ? "message" : eventType, data: dataLines.joined(separator: "\n"))
    }
}
