import Foundation
import Synchronization

/// Reads a child's standard error as it comes, keeping the most recent part, so the pipe never fills.
final class ChildLog: Sendable {
    /// How much of the log is kept; older bytes are dropped.
    static let capacity = 256 * 1024

    private final class Buffer: Sendable {
        let bytes = Mutex(Data())
    }

    let pipe = Pipe()
    private let buffer = Buffer()

    init() {
        pipe.fileHandleForReading.readabilityHandler = { [buffer] handle in
            let chunk = handle.availableData
            if chunk.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            buffer.bytes.withLock { bytes in
                bytes.append(chunk)
                if bytes.count > Self.capacity { bytes.removeFirst(bytes.count - Self.capacity) }
            }
        }
    }

    var text: String { buffer.bytes.withLock { String(decoding: $0, as: UTF8.self) } }
}
