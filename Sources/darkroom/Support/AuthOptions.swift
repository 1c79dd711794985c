import ArgumentParser
import Logging

/// `--auth on|off` and `--metrics-auth`: whether clients need API keys. `darkroom serve` defaults to off (one open
/// user on one machine), `darkroom gateway` to on.
struct AuthOptions: ParsableArguments {
    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case on, off
    }

    @Option(
        help: """
            on: every route but /healthz, /readyz and /metrics needs an API key (darkroom keys create); \
            off: anyone who can connect acts as the one tenant 'default' (default: off for serve, on for gateway).
            """)
    var auth: Mode?

    @Flag(help: "With --auth on, /metrics needs an API key too.")
    var metricsAuth = false

    /// Whether keys are required, given the command's default; logs a warning when they are not.
    func requiresKeys(byDefault: Bool, logger: Logger) -> Bool {
        let required = auth.map { $0 == .on } ?? byDefault
        if !required {
            logger.warning(
                "Authentication is off: anyone who can connect may submit, read and cancel every job (--auth on)")
        }
        return required
    }
}
