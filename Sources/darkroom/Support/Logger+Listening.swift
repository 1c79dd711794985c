import DarkroomCore
import Logging
import NIOCore

extension Logger {
    /// The line tests and operators wait for: where the server accepts connections.
    func listening(on channel: any Channel) {
        let address = channel.localAddress
        info(
            "Darkroom listening",
            metadata: [LogKey.address.rawValue: "http://\(address?.ipAddress ?? "?"):\(address?.port ?? 0)"])
    }
}
