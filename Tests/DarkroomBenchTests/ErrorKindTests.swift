import DarkroomBench
import Testing

@Suite struct ErrorKindTests {
    @Test("each kind has its stable code")
    func codes() {
        let kinds: [ErrorKind] = [.timeout, .rejected, .http(status: 503), .failed, .connection]
        #expect(kinds.map(\.code) == ["timeout", "rejected", "http_503", "failed", "connection"])
    }
}
