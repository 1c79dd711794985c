import Foundation

/// One PNG a backend produced.
public struct GeneratedImage: Sendable, Equatable {
    /// The PNG file's bytes.
    public var png: Data
    public var width: Int
    public var height: Int
    /// The seed that reproduces this image (see ``Backend/generate(_:progress:)``).
    public var seed: Int64

    public init(png: Data, width: Int, height: Int, seed: Int64) {
        self.png = png
        self.width = width
        self.height = height
        self.seed = seed
    }
}
