import DarkroomCore
import DarkroomStore
import Foundation
import Testing

/// A class, so each test's directory is removed when the test's instance goes.
@Suite final class ImageDirectoryTests {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-images-\(UUID().uuidString)")
    let directory: ImageDirectory

    init() throws {
        directory = try ImageDirectory(path: path.path)
    }

    deinit {
        try? FileManager.default.removeItem(at: path)
    }

    @Test("an image written under its job's name reads back byte for byte")
    func roundTrip() throws {
        let name = ImageDirectory.name(jobID: JobID(rawValue: "01a214a3-a50d-7a3f-a5b3-ae1227effe18"), index: 2)
        #expect(name == "01a214a3-a50d-7a3f-a5b3-ae1227effe18-2.png")
        try directory.write(Data([1, 2, 3]), name: name)
        #expect(directory.read(name: name) == Data([1, 2, 3]))
        directory.remove([ImageResult(name: name, width: 1, height: 1, seed: 0, sha256: "")])
        #expect(directory.read(name: name) == nil)
    }

    @Test(
        "names that could leave the directory are refused",
        arguments: [
            "", "..", "../etc/passwd", ".hidden", "a/b.png", "%2e%2e", "é.png", String(repeating: "a", count: 200),
        ])
    func refusesUnsafeNames(name: String) {
        #expect(!ImageDirectory.isValidName(name))
        #expect(directory.read(name: name) == nil)
    }

    @Test("a missing image reads as nil")
    func missing() {
        #expect(directory.read(name: "nothing-0.png") == nil)
    }
}
