import Foundation

/// A `darkroom sim-backend` child process: a simulated A1111 or ComfyUI server on 127.0.0.1.
///
/// It can be killed with SIGKILL and started again on the same port, like a GPU box that crashed and came back.
final class GPUServer {
    let kind: String
    let options: [String]
    private(set) var process: ServerProcess
    /// The port it listens on; stable across ``restart()``.
    let port: Int

    private init(kind: String, options: [String], process: ServerProcess, port: Int) {
        self.kind = kind
        self.options = options
        self.process = process
        self.port = port
    }

    /// Starts a simulated `kind` (`a1111` or `comfyui`) server on a free port.
    static func start(_ kind: String, seconds: Double, options: [String] = []) async throws -> GPUServer {
        let all = ["--seconds", "\(seconds)"] + options
        let process = try await launch(kind, port: 0, options: all)
        guard let port = URL(string: process.baseURL)?.port else {
            process.stop()
            throw ServerProcess.StartFailed(reason: "no port in \(process.baseURL)", log: process.log)
        }
        return GPUServer(kind: kind, options: all, process: process, port: port)
    }

    private static func launch(_ kind: String, port: Int, options: [String]) async throws -> ServerProcess {
        try await ServerProcess.launch(
            ["sim-backend", "--protocol", kind, "--host", "127.0.0.1", "--port", "\(port)"] + options)
    }

    /// The `--backend` value that points Darkroom at this server.
    var backendArgument: String { "\(kind)=http://127.0.0.1:\(port)" }

    /// The backend id Darkroom gives this server.
    var backendID: String { "\(kind)@127.0.0.1:\(port)" }

    /// `kill -9`: the server vanishes mid-request, connections reset.
    func kill() async throws { try await process.killHard() }

    /// Starts the server again on the same port.
    func restart() async throws {
        process = try await Self.launch(kind, port: port, options: options)
    }

    func stop() { process.stop() }
}
