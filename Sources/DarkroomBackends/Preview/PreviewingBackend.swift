import DarkroomCore
import Foundation

/// A backend that can show a run's picture as it forms: the simulated GPU, A1111 (its `current_image`) and
/// ComfyUI (its binary preview frames).
///
/// Previews cost the server work (A1111 encodes one on every progress call that asks), so a backend makes one
/// only when ``PreviewSink/isWanted`` says someone is watching the job.
public protocol PreviewingBackend: Backend {
    /// ``Backend/run(_:turn:progress:)``, also sending previews to `previews` while anyone wants them.
    func run(
        _ request: GenerationRequest, turn: ServerTurn, previews: PreviewSink,
        progress: @escaping @Sendable (JobProgress) async -> Void
    ) async throws -> BackendAnswer
}

/// A small image of the run so far, as the backend made it.
public struct PreviewImage: Sendable, Equatable {
    public var data: Data
    /// `image/png` or `image/jpeg`.
    public var mediaType: String
    public var progress: JobProgress

    public init(data: Data, mediaType: String, progress: JobProgress) {
        self.data = data
        self.mediaType = mediaType
        self.progress = progress
    }
}

/// Where a backend sends one run's previews, and whether anyone wants them now.
public struct PreviewSink: Sendable {
    private let wanted: @Sendable () async -> Bool
    private let send: @Sendable (PreviewImage) async -> Void

    public init(
        isWanted: @escaping @Sendable () async -> Bool, deliver: @escaping @Sendable (PreviewImage) async -> Void
    ) {
        wanted = isWanted
        send = deliver
    }

    /// Nobody watches: no preview is made.
    public static let none = PreviewSink(isWanted: { false }, deliver: { _ in })

    /// Whether anyone watches the job now: ask before making a preview that costs the server work.
    public var isWanted: Bool {
        get async { await wanted() }
    }

    public func deliver(_ preview: PreviewImage) async {
        await send(preview)
    }
}
