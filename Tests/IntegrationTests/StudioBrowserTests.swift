import Foundation
import NIOHTTP1
import Testing

/// Darkroom Studio, the page at `/`, in a real browser: Debian's Chromium driven by Playwright for Python
/// (Tests/IntegrationTests/Scripts/studio_browser.py), against `darkroom serve` over real HTTP. The script reports
/// what it saw; these tests judge it. With `DARKROOM_STUDIO_SCREENSHOTS=DIR` the studio test also writes the
/// screenshots in docs/images/ there.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct StudioBrowserTests {
    struct StudioReport: Decodable {
        var csp: String?
        var firstLoadBytes: Int
        var progressValues: [Int]
        var distinctPreviews: Int
        var previewsAreImages: Bool
        var resultSize: [Int]
        var resultCaption: String
        var downloadIsPng: Bool
        var historyAfterReload: String?
        var canceled: Bool
        var widthMessage: String
        var widthInvalid: String?
        var unlabelled: [String]
        var queueBackends: Int
        var chartPoints: Int
        var consoleErrors: [String]
        var offOrigin: [String]
        var keyboardReachedPrompt: Bool
        var keyboardReachedGenerate: Bool
        var keyboardSubmitted: Bool
        var overflowLight: Int
        var overflowDark: Int
        var backgrounds: [String: String]
    }

    /// Runs the script's `phase` against `baseURL` and decodes its report.
    private func browse<Report: Decodable>(
        _ baseURL: String, _ phase: [String], as _: Report.Type, server: ServerProcess
    ) async throws -> Report {
        let (status, output) = try await RepositoryScript.run(
            ["python3", "Tests/IntegrationTests/Scripts/studio_browser.py", baseURL] + phase, timeout: .seconds(420))
        try #require(status == 0, "\(output)\n--- server log ---\n\(server.log.suffix(4000))")
        let line = try #require(output.split(separator: "\n").last(where: { $0.hasPrefix("{") }), "\(output)")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Report.self, from: Data(line.utf8))
    }

    @Test("a portrait is generated, watched with previews and downloaded in the page; history, cancel, field errors")
    func generateWatchDownload() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // 8 steps take 4 s; the script watches a job of 100 steps (50 s) until two previews have shown.
        let server = try await ServerProcess.start(
            dataDirectory: directory.url, options: ["--sim-gpus", "1", "--sim-seconds", "4"])
        defer { server.stop() }
        let screenshots = ProcessInfo.processInfo.environment["DARKROOM_STUDIO_SCREENSHOTS"].map { [$0] } ?? []
        let report = try await browse(
            server.baseURL, ["studio"] + screenshots, as: StudioReport.self, server: server)

        #expect(report.progressValues.count >= 2, "the bar advanced: \(report.progressValues)")
        #expect(
            zip(report.progressValues, report.progressValues.dropFirst()).allSatisfy { $0 < $1 },
            "the bar never went back: \(report.progressValues)")
        #expect(report.distinctPreviews >= 2, "at least two previews, each different")
        #expect(report.previewsAreImages)
        #expect(report.resultSize == [1024, 1024])
        #expect(report.resultCaption.contains("1024 × 1024"))
        #expect(report.downloadIsPng)
        #expect(report.historyAfterReload == "succeeded")
        #expect(report.canceled)
        #expect(report.widthMessage.contains("multiple of 16"), "the API's own detail: \(report.widthMessage)")
        #expect(report.widthInvalid == "true")
        #expect(report.queueBackends >= 1)
        #expect(report.chartPoints >= 1, "the completions line has the gateway's samples")

        #expect(report.csp?.contains("default-src 'self'") == true)
        #expect(report.offOrigin.isEmpty, "\(report.offOrigin)")
        #expect(report.firstLoadBytes < 150_000, "first load: \(report.firstLoadBytes) bytes")
        #expect(report.consoleErrors.isEmpty, "\(report.consoleErrors)")
        #expect(report.unlabelled.isEmpty, "controls without a name: \(report.unlabelled)")
        #expect(report.keyboardReachedPrompt && report.keyboardReachedGenerate && report.keyboardSubmitted)
        #expect(report.overflowLight <= 0 && report.overflowDark <= 0, "fits 390 px")
        #expect(report.backgrounds["light"] != report.backgrounds["dark"])
    }

    struct LateAnswerReport: Decodable {
        var lateValues: [Double]
        var lateStatuses: [String]
        var endedResultShown: Bool
        var endedNowEntries: Int
    }

    @Test("a submit's answer that comes after the job moved on neither moves its bar back nor brings it back")
    func lateSubmitAnswer() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // 8 steps take 4 s: the held job of 100 steps runs 50 s unless canceled, the second job of 1 step 0.5 s.
        let server = try await ServerProcess.start(
            dataDirectory: directory.url, options: ["--sim-gpus", "1", "--sim-seconds", "4"])
        defer { server.stop() }
        let report = try await browse(server.baseURL, ["late"], as: LateAnswerReport.self, server: server)

        #expect(
            zip(report.lateValues, report.lateValues.dropFirst()).allSatisfy { $0 <= $1 },
            "the bar never went back: \(report.lateValues)")
        #expect(report.lateStatuses == ["Running"], "never shown as queued again")
        #expect(report.endedResultShown)
        #expect(report.endedNowEntries == 0, "an ended job does not come back into Now")
    }

    struct BreakerReport: Decodable {
        var breaker: String
    }

    @Test("the Queue view shows a killed server's breaker open, and closed once the server is back")
    func breakerInQueueView() async throws {
        let gpu = try await GPUServer.start("a1111", seconds: 0.2)
        defer { gpu.stop() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess.start(
            dataDirectory: directory.url,
            options: ["--backend", gpu.backendArgument, "--breaker-max-fails", "1", "--breaker-fail-timeout", "2"])
        defer { server.stop() }

        let closed = try await browse(
            server.baseURL, ["breaker", gpu.backendID, "closed"], as: BreakerReport.self, server: server)
        #expect(closed.breaker == "closed")

        try await gpu.kill()
        let job = try await server.api.submitAccepted(JobRequestBody(prompt: "to a server that is gone"))
        let opened = try await browse(
            server.baseURL, ["breaker", gpu.backendID, "open"], as: BreakerReport.self, server: server)
        #expect(opened.breaker == "open")

        try await gpu.restart()
        let closedAgain = try await browse(
            server.baseURL, ["breaker", gpu.backendID, "closed"], as: BreakerReport.self, server: server)
        #expect(closedAgain.breaker == "closed")
        let finished = try await server.api.waitForAllTerminal([job.id], timeout: .seconds(180))
        #expect(finished.first?.state == "succeeded", "the job retried on the server once it was back")
    }

    struct KeyReport: Decodable {
        var askedForKey: Bool
        var wrongKeyMessage: String
        var askedAgainAfterReload: Bool
        var historyIds: [String]
    }

    @Test(
        "with authentication on, the page asks for a key once, refuses a wrong one, and shows that tenant's jobs only")
    func asksForKey() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = ["--data-dir", directory.url.path]
        for tenant in ["acme", "globex"] {
            _ = try await DarkroomCommand.output(["tenants", "create", tenant] + store)
        }
        let acmeKey = try await DarkroomCommand.newKey(["keys", "create", "acme"] + store)
        let globexKey = try await DarkroomCommand.newKey(["keys", "create", "globex"] + store)
        let server = try await ServerProcess.start(
            dataDirectory: directory.url, options: ["--auth", "on", "--sim-gpus", "1", "--sim-seconds", "0.2"])
        defer { server.stop() }
        var ids: [String: String] = [:]
        for (tenant, key) in [("acme", acmeKey), ("globex", globexKey)] {
            let answer = try await server.api.request(
                .POST, "/v1/jobs", body: Data(#"{"prompt":"\#(tenant)'s portrait"}"#.utf8),
                headers: [("Authorization", "Bearer \(key)"), ("Prefer", "wait=60")])
            try #require(answer.status == 200, "\(answer)")
            ids[tenant] = try answer.decode(JobJSON.self).id
        }

        let report = try await browse(server.baseURL, ["key", acmeKey], as: KeyReport.self, server: server)
        #expect(report.askedForKey)
        #expect(!report.wrongKeyMessage.isEmpty)
        #expect(!report.askedAgainAfterReload, "the key is kept in the browser")
        #expect(report.historyIds == [ids["acme"]].compactMap { $0 }, "acme's job only, not globex's")
    }
}
