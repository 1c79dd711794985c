import DarkroomCore
import Logging
import NIOCore

extension Logger {
    /// The line tests and operators wait for: where the server accepts connections. At `notice`, so it
    /// shows also with per-job lines turned off (`--log-level notice`).
    func listening(on channel: any Channel) {
        let address = channel.localAddress
        notice(
            "Darkroom listening",
            metadata: [LogKey.address.rawValue: "http://\(address?.ipAddress ?? "?"):\(address?.port ?? 0)"])
    }
}
