import OpenAPIRuntime
import Testing

@testable import DarkroomAPI

/// Darkroom's own event framing: the `text/event-stream` lines a client's parser reads.
@Suite struct ServerSentEventFrameTests {
    static func text(_ event: ServerSentEvent) -> String {
        String(decoding: event.frame, as: UTF8.self)
    }

    @Test("an event is its fields, one line each, and a blank line")
    func fields() {
        let event = ServerSentEvent(id: "7", event: "state", data: #"{"id":"job_1","state":"queued"}"#, retry: 3000)
        #expect(Self.text(event) == "id: 7\nevent: state\nretry: 3000\ndata: {\"id\":\"job_1\",\"state\":\"queued\"}\n\n")
    }

    @Test("data with line breaks becomes one data line per line, whichever the break")
    func multiLineData() {
        let event = ServerSentEvent(event: "note", data: "first\nsecond\r\nthird\rfourth\n")
        #expect(Self.text(event) == "event: note\ndata: first\ndata: second\ndata: third\ndata: fourth\ndata: \n\n")
    }

    @Test("an event with no fields is the blank line alone")
    func empty() {
        #expect(Self.text(ServerSentEvent()) == "\n")
    }
}
