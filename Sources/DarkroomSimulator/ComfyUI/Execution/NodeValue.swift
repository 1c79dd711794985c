/// What a simulated node produces: only what later nodes need to know to make the right images.
enum NodeValue: Sendable, Equatable {
    /// A model, CLIP, VAE or conditioning: nothing to simulate.
    case opaque(String)
    /// A latent batch; `seed` is set once a sampler has denoised it.
    case latent(Latent)
    /// Decoded images.
    case image(Latent)

    /// The size, batch and seed of a latent or image batch.
    struct Latent: Sendable, Equatable {
        var width: Int
        var height: Int
        var batchSize: Int
        var seed: Int64?
    }

    var latent: Latent? {
        switch self {
        case .latent(let latent), .image(let latent): latent
        case .opaque: nil
        }
    }
}
