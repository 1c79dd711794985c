import DarkroomCore
import DarkroomStore
import DarkroomWorker
import Foundation
import Hummingbird
import Prometheus

/// A worker's only HTTP: liveness, readiness (store reachable, slots present) and Prometheus metrics.
enum ProbeRouter {
    static func make(store: any JobQueue, pool: WorkerPool, registry: PrometheusCollectorRegistry) -> Router<
        BasicRequestContext
    > {
        let router = Router()
        router.get("healthz") { _, _ in status(.ok, "ok") }
        router.get("readyz") { _, _ in
            do {
                _ = try await store.position(of: JobID(rawValue: "readiness-probe"))
            } catch {
                return status(.serviceUnavailable, "store unreachable")
            }
            return await pool.capacity().slots > 0 ? status(.ok, "ready") : status(.serviceUnavailable, "no slots")
        }
        router.get("metrics") { _, _ in
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        return router
    }

    private static func status(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: #"{"status":"\#(text)"}"#)))
    }
}
