/// What a backend must have loaded to run a request without switching: the model and the set of LoRAs.
///
/// Strengths are left out on purpose: changing a LoRA's strength does not reload any file, so jobs that
/// differ only in strength run equally fast on the same backend. The key is a plain string so that stores
/// can index and compare it: `model` alone, or `model+lora1+lora2` with the LoRA names sorted.
public struct ModelAffinity: Sendable, Hashable, CustomStringConvertible {
    public let key: String

    public init(key: String) {
        self.key = key
    }

    /// The affinity of a request.
    public init(_ request: GenerationRequest) {
        let loras = Set(request.loras.filter { $0.strength != 0 }.map(\.name)).sorted()
        self.key = ([request.model] + loras).joined(separator: "+")
    }

    public var description: String { key }
}

extension GenerationRequest {
    /// The model and LoRAs a backend needs loaded for this request.
    public var affinity: ModelAffinity { ModelAffinity(self) }
}
