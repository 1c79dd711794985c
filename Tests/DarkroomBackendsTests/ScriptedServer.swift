import AsyncHTTPClient
import Foundation
import Hummingbird

/// A test HTTP server whose routes follow scripts (answer, answer after another route was hit, stall the body),
/// recording every request path in a ``Log`` that tests await instead of sleeping.
enum ScriptedServer {
    typealias Answer = MisbehavingServer.Answer

    /// What one route does.
    enum Script: Sendable {
        /// Answers at once.
        case answer(Answer)
        /// Answers once `path` has been requested `count` times.
        case answerAfter(path: String, count: Int, Answer)
        /// Sends a 200's headers and a first chunk, then nothing until the test's body has returned.
        case stallBody
    }

    /// The paths requested so far, and a way to wait for one.
    actor Log {
        private struct Waiter {
            var path: String
            var count: Int
            var continuation: CheckedContinuation<Void, Never>
        }

        private(set) var paths: [String] = []
        private var waiters: [UUID: Waiter] = [:]

        /// How many times `path` was requested.
        func count(_ path: String) -> Int { paths.count { $0 == path } }

        func record(_ path: String) {
            paths.append(path)
            for (id, waiter) in waiters where count(waiter.path) >= waiter.count {
                waiters[id] = nil
                waiter.continuation.resume()
            }
        }

        /// Returns once `path` has been requested `count` times, or the task is cancelled.
        func waitFor(_ path: String, count: Int = 1) async {
            let id = UUID()
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    if self.count(path) >= count || Task.isCancelled {
                        continuation.resume()
                    } else {
                        waiters[id] = Waiter(path: path, count: count, continuation: continuation)
                    }
                }
            } onCancel: {
                Task { await self.release(id) }
            }
        }

        /// Holds the caller (a stalled route) until ``releaseStalled()``, or until its task is cancelled.
        func holdUntilReleased() async {
            await waitFor(Self.releaseMark)
        }

        /// Lets every held route go on; the server calls it when the test's body has returned.
        func releaseStalled() {
            record(Self.releaseMark)
        }

        private static let releaseMark = "(released)"

        private func release(_ id: UUID) {
            waiters.removeValue(forKey: id)?.continuation.resume()
        }
    }

    /// Runs the server with `scripts` (route path → script; anything else is a 404) around `body`.
    static func withServer<T: Sendable>(
        _ scripts: [String: Script], _ body: (URL, HTTPClient, Log) async throws -> T
    ) async throws -> T {
        let log = Log()
        let router = Router()
        for (path, script) in scripts {
            for method in [HTTPRequest.Method.get, .post] {
                router.on(RouterPath(path), method: method) { _, _ in
                    await log.record(path)
                    return try await respond(script, log: log)
                }
            }
        }
        return try await SimulatorHarness.withRouter(router) { url, client in
            do {
                let result = try await body(url, client, log)
                await log.releaseStalled()
                return result
            } catch {
                await log.releaseStalled()
                throw error
            }
        }
    }

    private static func respond(_ script: Script, log: Log) async throws -> Response {
        switch script {
        case .answer(let answer):
            return response(answer)
        case .answerAfter(let path, let count, let answer):
            await log.waitFor(path, count: count)
            return response(answer)
        case .stallBody:
            let body = ResponseBody { writer in
                try await writer.write(ByteBuffer(string: #"{"images": ["#))
                await log.holdUntilReleased()
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: body)
        }
    }

    private static func response(_ answer: Answer) -> Response {
        Response(
            status: answer.status, headers: [.contentType: answer.contentType],
            body: .init(byteBuffer: ByteBuffer(string: answer.body)))
    }
}
