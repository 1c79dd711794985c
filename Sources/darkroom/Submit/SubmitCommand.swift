import ArgumentParser
import DarkroomClient
import Foundation

/// `darkroom submit`: submit one job, follow it with a progress bar, and save its image.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit a portrait job, show its progress, and write the PNG."
    )

    @Option(help: "The Darkroom server's base URL.")
    var server = "http://127.0.0.1:8080"

    @Option(help: "What to draw.")
    var prompt: String

    @Option(help: "Width in pixels (multiple of 16, 256…2048).")
    var width: Int?

    @Option(help: "Height in pixels (multiple of 16, 256…2048).")
    var height: Int?

    @Option(help: "Sampling steps (1…100).")
    var steps: Int?

    @Option(help: "Seed; -1 picks one at random.")
    var seed: Int64?

    @Option(help: "Priority 0…9; higher runs first.")
    var priority: Int?

    @Option(help: "Where to write the PNG (the first image of the batch).")
    var out = "image.png"

    func run() async throws {
        guard let serverURL = URL(string: server) else { throw ValidationError("--server is not a URL") }
        let client = DarkroomServerClient(serverURL: serverURL)
        let bar = ProgressBar()
        do {
            var job = try await client.submit(
                .init(prompt: prompt, width: width, height: height, steps: steps, seed: seed, priority: priority))
            while !job.isTerminal {
                bar.show(job)
                try await Task.sleep(for: .milliseconds(200))
                job = try await client.job(id: job.id)
            }
            bar.finish(job)
            guard job.state == "succeeded", let image = job.images.first else {
                printError("error: " + failureMessage(job))
                throw ExitCode.failure
            }
            try await client.image(url: image.url).write(to: URL(fileURLWithPath: out))
            print("\(out)  \(image.width)×\(image.height)  seed \(image.seed)  sha256 \(image.sha256)")
        } catch let problem as DarkroomServerClient.ServerProblem {
            bar.clear()
            printError("error: \(problem)")
            throw ExitCode.failure
        }
    }

    private func failureMessage(_ job: JobSnapshot) -> String {
        "job \(job.id) \(job.state): \(job.errorMessage ?? "no image") \(job.errorCode.map { "(\($0))" } ?? "")"
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
