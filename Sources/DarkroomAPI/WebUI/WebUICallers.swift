import Crypto
import DarkroomCore
import Foundation
import HTTPTypes
import Hummingbird

/// Who calls the A1111 routes, the jobs each caller is waiting on, and the model each one chose.
///
/// One WebUI process runs one job, so its `/progress`, `/interrupt` and `/skip` mean "the job". Darkroom runs
/// many at once, so they act on the caller's most recent job still in flight. A caller is told apart by its
/// `Authorization` header when it sends one, else by its address: the last `X-Forwarded-For` hop when the
/// request comes through a proxy on a loopback or private address, the peer address otherwise. See
/// docs/migrating-from-webui.md.
actor WebUICallers {
    /// Callers whose chosen model is remembered, at most; past it the oldest choice is forgotten.
    static let rememberedModels = 10_000

    private var inFlight: [String: [JobID]] = [:]
    private var models: [String: String] = [:]
    private var modelOrder: [String] = []

    /// `job` was submitted by `caller` and is being waited on.
    func started(_ job: JobID, by caller: String) {
        inFlight[caller, default: []].append(job)
    }

    /// `caller` stopped waiting on `job`.
    func ended(_ job: JobID, by caller: String) {
        inFlight[caller]?.removeAll { $0 == job }
        if inFlight[caller]?.isEmpty == true { inFlight[caller] = nil }
    }

    /// The most recent job `caller` is still waiting on.
    func latestJob(of caller: String) -> JobID? {
        inFlight[caller]?.last
    }

    /// The model `caller` chose with `POST /sdapi/v1/options`, if any.
    func model(of caller: String) -> String? {
        models[caller]
    }

    func choose(model: String, for caller: String) {
        if models.updateValue(model, forKey: caller) == nil { modelOrder.append(caller) }
        if modelOrder.count > Self.rememberedModels { models[modelOrder.removeFirst()] = nil }
    }

    /// The key that tells `request`'s caller apart (see the type's documentation).
    nonisolated static func key(of request: Request, context: GatewayRequestContext) -> String {
        if let authorization = request.headers[.authorization] {
            // A digest, so the table of callers never holds anyone's credentials.
            return "auth:" + SHA256.hash(data: Data(authorization.utf8)).lowercaseHex
        }
        let peer = context.channel.remoteAddress?.ipAddress ?? "unknown"
        // X-Forwarded-For is believed only from a proxy on this machine or a private network, and only its last
        // hop: the address that proxy saw (anything before it is what the client chose to send).
        if AddressKind.forbidden(literal: peer) != nil,
            let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!],
            let last = forwarded.split(separator: ",").last
        {
            return "addr:" + last.trimmingCharacters(in: .whitespaces)
        }
        return "addr:" + peer
    }
}
