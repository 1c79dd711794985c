import DarkroomCore
import Foundation

/// What the image directory holds besides the images of its jobs, for the retention sweep (``StraySweep`` in
/// DarkroomWorker).
extension ImageDirectory {
    /// A file in the directory and when it was last written.
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var modified: Date
    }

    /// The prefix of the temporary files of Foundation's atomic writes (``write(_:name:)``): one is left behind
    /// when a process dies between writing it and renaming it into place.
    public static let temporaryPrefix = ".dat.nosync"

    /// Every regular file in the directory, hidden ones included.
    public func entries() -> [Entry] {
        let keys: [URLResourceKey] = [.contentModificationDateKey, .isRegularFileKey]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.compactMap { name in
            let values = try? url.appendingPathComponent(name).resourceValues(forKeys: Set(keys))
            guard values?.isRegularFile == true, let modified = values?.contentModificationDate else { return nil }
            return Entry(name: name, modified: modified)
        }
    }

    /// The job whose image `name` is (``name(jobID:index:)``), or `nil` for a name Darkroom did not make.
    public static func jobID(ofImage name: String) -> JobID? {
        guard name.hasSuffix(".png"), let dash = name.lastIndex(of: "-"),
            Int(name[name.index(after: dash)..<name.index(name.endIndex, offsetBy: -4)]) != nil
        else { return nil }
        return JobID(parsing: String(name[..<dash]))
    }

    /// Removes one file: an image or a temporary file of this directory. Returns whether it was there to remove.
    @discardableResult
    public func removeFile(named name: String) -> Bool {
        guard Self.isValidName(name) || name.hasPrefix(Self.temporaryPrefix), !name.contains("/") else { return false }
        return (try? FileManager.default.removeItem(at: url.appendingPathComponent(name))) != nil
    }
}
