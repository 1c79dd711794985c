import DarkroomBench
import Testing

@Suite struct ServerSentEventParserTests {
    private let stream = """
        event: state
        data: {"id":"j1","state":"queued"}

        : a comment
        event: progress
        data: {"step":1,"steps":8}

        event: state
        data: {"id":"j1",
        data: "state":"succeeded"}


        """

    private func parseAll(_ text: String, chunk: Int) throws -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        let bytes = Array(text.utf8)
        var events: [ServerSentEvent] = []
        for start in stride(from: 0, to: bytes.count, by: chunk) {
            events += try parser.feed(bytes[start..<min(start + chunk, bytes.count)])
        }
        return events
    }

    @Test("event blocks become events, data lines joined, comments skipped")
    func blocks() throws {
        let events = try parseAll(stream, chunk: 4096)
        #expect(
            events == [
                ServerSentEvent(event: "state", data: #"{"id":"j1","state":"queued"}"#),
                ServerSentEvent(event: "progress", data: #"{"step":1,"steps":8}"#),
                ServerSentEvent(event: "state", data: "{\"id\":\"j1\",\n\"state\":\"succeeded\"}"),
            ])
    }

    @Test("chunk boundaries anywhere give the same events", arguments: [1, 2, 3, 7, 64])
    func chunked(size: Int) throws {
        #expect(try parseAll(stream, chunk: size) == parseAll(stream, chunk: 4096))
    }

    @Test("CRLF and CR end lines too, also when a CRLF is split between chunks")
    func lineEndings() throws {
        let crlf = "event: state\r\ndata: a\r\n\r\nevent: x\rdata: b\r\r"
        let expected = [ServerSentEvent(event: "state", data: "a"), ServerSentEvent(event: "x", data: "b")]
        #expect(try parseAll(crlf, chunk: 4096) == expected)
        #expect(try parseAll(crlf, chunk: 1) == expected)
    }

    @Test("no event without data; no type means message; one leading space dropped; an unfinished block waits")
    func details() throws {
        #expect(try parseAll("event: lonely\n\n", chunk: 100).isEmpty)
        #expect(try parseAll("data:x\n\n", chunk: 100) == [ServerSentEvent(event: "message", data: "x")])
        #expect(try parseAll("data:  two\n\n", chunk: 100) == [ServerSentEvent(event: "message", data: " two")])
        #expect(try parseAll("id: 1\nretry: 10\ndata: y\n", chunk: 100).isEmpty)
    }

    @Test("a line past the cap throws instead of growing without bound")
    func cap() {
        var parser = ServerSentEventParser(maximumLineBytes: 8)
        #expect(throws: ServerSentEventParser.LineTooLong.self) {
            _ = try parser.feed(Array("data: 0123456789\n".utf8))
        }
    }
}
