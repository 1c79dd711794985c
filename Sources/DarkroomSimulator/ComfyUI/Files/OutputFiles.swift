import DarkroomWire
import Foundation

/// The simulated ComfyUI's `output` and `temp` folders, kept in memory: what `SaveImage` and `PreviewImage`
/// write and `GET /view` reads.
///
/// Upstream never deletes outputs; to bound memory this keeps the newest ``limit`` files and forgets older
/// ones (their `/view` answers 404). Concurrency: an actor.
actor OutputFiles {
    struct Key: Hashable, Sendable {
        var type: String
        var subfolder: String
        var filename: String
    }

    static let limit = 4096

    private var files: [Key: Data] = [:]
    private var order: [Key] = []
    /// The last counter used per folder and file prefix, like the `_00001_` scan upstream does.
    private var counters: [String: Int] = [:]

    /// Writes `pngs` as `<prefix>_<counter>_.png`; a `/` in `prefix` names the subfolder.
    ///
    /// - Returns: the `{"filename", "subfolder", "type"}` entries for the node's UI output.
    func save(_ pngs: [Data], prefix: String, type: String) -> [JSONValue] {
        let (subfolder, name) = Self.split(prefix)
        let counterKey = "\(type)/\(subfolder)/\(name)"
        var counter = counters[counterKey] ?? 0
        var entries: [JSONValue] = []
        for png in pngs {
            counter += 1
            let filename = "\(name)_\(Self.fiveDigits(counter))_.png"
            store(Key(type: type, subfolder: subfolder, filename: filename), png)
            entries.append(["filename": .string(filename), "subfolder": .string(subfolder), "type": .string(type)])
        }
        counters[counterKey] = counter
        return entries
    }

    func file(_ key: Key) -> Data? { files[key] }

    private func store(_ key: Key, _ data: Data) {
        if files.updateValue(data, forKey: key) == nil { order.append(key) }
        while order.count > Self.limit { files[order.removeFirst()] = nil }
    }

    /// `folder_paths.get_save_image_path`: the directory part of the prefix is the subfolder.
    static func split(_ prefix: String) -> (subfolder: String, name: String) {
        guard let slash = prefix.lastIndex(of: "/") else { return ("", prefix) }
        return (String(prefix[..<slash]), String(prefix[prefix.index(after: slash)...]))
    }

    private static func fiveDigits(_ number: Int) -> String {
        let digits = String(number)
        return digits.count >= 5 ? digits : String(repeating: "0", count: 5 - digits.count) + digits
    }
}
