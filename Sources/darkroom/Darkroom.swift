import ArgumentParser

/// The `darkroom` command: one binary for the embedded server, the client and (later) the cluster roles.
@main
struct Darkroom: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "darkroom",
        abstract: "Durable, fair image generation (AWPortrait-Z on Z-Image) for many users at once.",
        subcommands: [
            ServeCommand.self, GatewayCommand.self, WorkerCommand.self, MigrateCommand.self, SubmitCommand.self,
            SimBackendCommand.self, BenchCommand.self, TenantsCommand.self, KeysCommand.self,
        ]
    )
}
