import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lock on a data directory, held for the life of the process.
///
/// The embedded server assumes it is the only process using its SQLite file, so at start it can re-queue
/// every lease left behind; the lock makes that assumption true. The kernel releases it when the process
/// dies, even on `kill -9`.
final class DataDirectoryLock: Sendable {
    private let descriptor: Int32

    init(directory: URL) throws {
        let path = directory.appendingPathComponent("darkroom.lock").path
        let descriptor = open(path, O_CREAT | O_RDWR, 0o644)
        guard descriptor >= 0 else { throw LockError.cannotOpen(path) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw LockError.held(directory.path)
        }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    enum LockError: Error, CustomStringConvertible {
        case cannotOpen(String)
        case held(String)

        var description: String {
            switch self {
            case .cannotOpen(let path): "cannot open lock file \(path)"
            case .held(let path): "another darkroom serve is using the data directory \(path)"
            }
        }
    }
}
