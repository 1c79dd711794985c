import Foundation

/// Finds the `darkroom` executable the integration tests start.
///
/// `DARKROOM_BINARY` wins when set. Otherwise the binary is looked for in the build's bin directory, which
/// holds both `darkroom` and the test bundle: on Linux the test runner is the executable
/// `darkroomPackageTests.xctest` and `Bundle.main.bundleURL` is its directory; on macOS the bundle is
/// `darkroomPackageTests.xctest` itself, so its parent is tried too.
enum DarkroomBinary {
    struct NotFound: Error, CustomStringConvertible {
        var description: String
    }

    static func url() throws -> URL {
        let files = FileManager.default
        if let path = ProcessInfo.processInfo.environment["DARKROOM_BINARY"], !path.isEmpty {
            guard files.isExecutableFile(atPath: path) else {
                throw NotFound(description: "DARKROOM_BINARY is \(path), which is not an executable file")
            }
            return URL(fileURLWithPath: path)
        }
        let directories = [
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        ]
        let candidates = directories.map { $0.appendingPathComponent("darkroom").standardizedFileURL }
        if let found = candidates.first(where: { files.isExecutableFile(atPath: $0.path) }) { return found }
        throw NotFound(
            description: """
                the darkroom executable was not found (looked at \(candidates.map(\.path).joined(separator: ", "))); \
                build it with `swift build --build-tests` or set DARKROOM_BINARY
                """)
    }
}
