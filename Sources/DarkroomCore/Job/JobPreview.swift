import Foundation

/// A small image of a running job's picture as it forms (docs/studio.md, "Live previews").
///
/// Previews are transient: they go to whoever watches the job while it runs, and are never stored with it.
public struct JobPreview: Sendable, Equatable {
    public var jobID: JobID
    /// The job's tenant, so a stream shows a preview only to whoever may see the job.
    public var tenant: String
    /// The step the image shows, of `steps`.
    public var step: Int
    public var steps: Int
    /// The encoded image: PNG or JPEG, at most ``maxSide`` pixels on its long side.
    public var image: Data
    /// `image/png` or `image/jpeg`.
    public var mediaType: String

    /// The longest side a preview may have.
    public static let maxSide = 384

    public init(jobID: JobID, tenant: String, step: Int, steps: Int, image: Data, mediaType: String) {
        self.jobID = jobID
        self.tenant = tenant
        self.step = step
        self.steps = steps
        self.image = image
        self.mediaType = mediaType
    }

    /// The image as a `data:` URI, the form the event streams carry.
    public var dataURI: String {
        "data:\(mediaType);base64,\(image.base64EncodedString())"
    }
}
