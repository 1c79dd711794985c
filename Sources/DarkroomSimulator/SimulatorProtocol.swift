/// Which real inference server `darkroom sim-backend` imitates.
public enum SimulatorProtocol: String, Sendable, CaseIterable {
    /// SD WebUI / Forge: `/sdapi/v1/*`.
    case a1111
    /// ComfyUI: `/prompt`, `/history`, `/view`, `/ws`.
    case comfyui
}
