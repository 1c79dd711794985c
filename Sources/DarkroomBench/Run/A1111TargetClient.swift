import Foundation
import NIOCore

/// An A1111 transaction: one synchronous `POST /sdapi/v1/txt2img`; success is a 200 whose `images` array is
/// not empty (an empty one is a `failed` error).
struct A1111TargetClient: TargetClient {
    let http: BenchHTTP
    let body: Data
    let timeout: Duration

    /// The A1111 API has no idempotency key: `idempotencyKey` is not sent.
    func transact(idempotencyKey: String?) async throws -> JobTiming? {
        let answer = try await http.post("/sdapi/v1/txt2img", json: body, timeout: timeout)
        guard answer.status == 200 else {
            throw TransactionFailure.status(answer.status, retryAfter: answer.retryAfter)
        }
        guard let decoded = try? JSONDecoder().decode(A1111Answer.self, from: Data(answer.body.readableBytesView))
        else {
            throw TransactionFailure(kind: .connection, detail: "the txt2img answer is not the expected JSON")
        }
        guard let images = decoded.images, !images.isEmpty else {
            throw TransactionFailure(kind: .failed, detail: "the txt2img answer has no images")
        }
        return nil
    }
}
