import DarkroomBench
import Testing

@Suite struct DurationTextTests {
    @Test(
        "reads seconds, milliseconds, minutes, hours and bare seconds",
        arguments: [
            ("120s", Duration.seconds(120)), ("500ms", .milliseconds(500)), ("2m", .seconds(120)),
            ("1h", .seconds(3600)), ("90", .seconds(90)), ("1.5", .milliseconds(1500)), ("0.25s", .milliseconds(250)),
            (" 3s ", .seconds(3)), ("0", .zero),
        ])
    func parses(text: String, expected: Duration) {
        #expect(DurationText.parse(text) == expected)
    }

    @Test(
        "rejects what is not one number with one known unit",
        arguments: ["", "s", "-1s", "1d", "1m30s", "abc", "1.2.3s", "ms"])
    func rejects(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test("formats below one second as milliseconds, else as seconds")
    func formats() {
        #expect(DurationText.format(.milliseconds(500)) == "500ms")
        #expect(DurationText.format(.seconds(120)) == "120s")
        #expect(DurationText.format(.milliseconds(1500)) == "1.5s")
        #expect(DurationText.format(.zero) == "0s")
    }
}
