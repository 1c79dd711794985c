/// A server's answer to one request, before its images are ready to use.
///
/// What is left after the server answered (decoding A1111's base64, downloading ComfyUI's files, checking
/// each PNG) happens in ``images()``, off the GPU's critical path: the worker calls it while the server already
/// runs the next request. Call it once.
public struct BackendAnswer: Sendable {
    private let finish: @Sendable () async throws -> [GeneratedImage]

    /// An answer whose images `finish` produces; it must not touch the server's GPU.
    public init(finishing finish: @escaping @Sendable () async throws -> [GeneratedImage]) {
        self.finish = finish
    }

    /// An answer whose images are already at hand.
    public init(images: [GeneratedImage]) {
        self.finish = { images }
    }

    /// The images, decoded and checked.
    ///
    /// - Throws: ``BackendError`` when the answer is unusable (not PNG, too few images, a download failed).
    public func images() async throws -> [GeneratedImage] {
        try await finish()
    }
}
