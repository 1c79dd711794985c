extension GenerationRequest {
    /// The work this request asks of a GPU, in reference portraits: one 1024×1024 image at 8 steps is 1. A GPU's
    /// time grows with pixels, steps and images, so this is the request's GPU-seconds up to the GPU's speed; the
    /// fair share charges it to the tenant when the job is queued, before any GPU has timed it.
    public var referencePortraits: Double {
        Double(width) * Double(height) / (1024 * 1024) * Double(steps) / 8 * Double(batchSize)
    }
}
