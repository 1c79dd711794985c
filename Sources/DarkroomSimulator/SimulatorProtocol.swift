/// Which real inference server `darkroom sim-backend` imitates.
public enum SimulatorProtocol: String, Sendable, CaseIterable {
    /// SD WebUI / Forge: `/sdapi/v1/*`.
    case a1111
    /// ComfyUI: `/prompt`, `/history`, `/view`, `/ws`.
    case comfyui

    /// The port the real server listens on by default: 7860 for the WebUI, 8188 for ComfyUI.
    public var defaultPort: Int {
        switch self {
        case .a1111: 7860
        case .comfyui: 8188
        }
    }
}
