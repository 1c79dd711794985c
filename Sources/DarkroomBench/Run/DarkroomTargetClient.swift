import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A Darkroom transaction: `POST /v1/jobs` (202 with the job), then wait until the job is terminal by
/// following its events (``WaitMode/sse``) or polling it (``WaitMode/poll``). Success is the state `succeeded`;
/// `failed` and `canceled` are `failed` errors, `expired` an `expired` one.
struct DarkroomTargetClient: TargetClient {
    let http: BenchHTTP
    let body: Data
    let waitMode: WaitMode
    let pollInterval: Duration
    let timeout: Duration

    func transact(idempotencyKey: String?) async throws -> JobTiming? {
        let headers = idempotencyKey.map { [("Idempotency-Key", $0)] } ?? []
        let answer = try await http.post("/v1/jobs", json: body, headers: headers, timeout: timeout)
        guard answer.isSuccess else { throw TransactionFailure.status(answer.status, retryAfter: answer.retryAfter) }
        let submitted = try Self.job(Data(answer.body.readableBytesView))
        let (job, observedAt) =
            switch waitMode {
            case .sse: try await follow(submitted.id)
            case .poll: try await poll(submitted.id)
            }
        guard job.isSucceeded else {
            let kind: ErrorKind = job.state == "expired" ? .expired : .failed
            throw TransactionFailure(kind: kind, detail: "job \(job.id) \(job.state)")
        }
        return JobTiming(
            createdAt: job.createdAt, startedAt: job.startedAt, finishedAt: job.finishedAt, observedAt: observedAt)
    }

    /// Reads `GET /v1/jobs/{id}/events` until a `state` event carries a terminal job.
    private func follow(_ id: String) async throws -> (ObservedJob, Date) {
        let response = try await http.events("/v1/jobs/\(id)/events", timeout: timeout)
        guard response.status.code == 200 else {
            let retryAfter = response.headers.first(name: "Retry-After")
            throw TransactionFailure.status(Int(response.status.code), retryAfter: retryAfter)
        }
        var parser = ServerSentEventParser()
        return try await http.transport {
            for try await chunk in response.body {
                for event in try parser.feed(chunk.readableBytesView) where event.event == "state" {
                    let job = try Self.job(Data(event.data.utf8))
                    if job.isTerminal { return (job, Date()) }
                }
            }
            throw TransactionFailure(kind: .connection, detail: "the event stream of job \(id) ended before its end")
        }
    }

    /// Reads `GET /v1/jobs/{id}` every ``pollInterval`` until the job is terminal.
    private func poll(_ id: String) async throws -> (ObservedJob, Date) {
        while true {
            try await Task.sleep(for: pollInterval)
            let answer = try await http.get("/v1/jobs/\(id)", timeout: timeout)
            guard answer.isSuccess else {
                throw TransactionFailure.status(answer.status, retryAfter: answer.retryAfter)
            }
            let job = try Self.job(Data(answer.body.readableBytesView))
            if job.isTerminal { return (job, Date()) }
        }
    }

    private static func job(_ data: Data) throws -> ObservedJob {
        do {
            return try ObservedJob.decode(data)
        } catch {
            throw TransactionFailure(kind: .connection, detail: "an answer is not a job: \(error)")
        }
    }
}
