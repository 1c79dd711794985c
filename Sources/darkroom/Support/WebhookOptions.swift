import ArgumentParser
import DarkroomAPI
import Foundation

/// Webhook signing and delivery: `--webhook-secret`, `--allow-private-webhooks`, `--webhook-retry-seconds`.
struct WebhookOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            """
            The secret webhooks are signed with (Standard Webhooks: whsec_ and base64; other text is used as is). \
            Without it, jobs with a webhook_url are refused. Also read from DARKROOM_WEBHOOK_SECRET.
            """, valueName: "secret"))
    var webhookSecret: String?

    @Flag(help: "Allow webhooks to loopback, private and link-local addresses (refused by default).")
    var allowPrivateWebhooks = false

    @Option(help: "Seconds before the first retry of a failed webhook; each later retry waits twice as long.")
    var webhookRetrySeconds = 5.0

    /// The environment variable read when `--webhook-secret` is absent.
    static let secretVariable = "DARKROOM_WEBHOOK_SECRET"

    func validate() throws {
        guard (0.1...3_600).contains(webhookRetrySeconds) else {
            throw ValidationError("--webhook-retry-seconds must be within 0.1…3600")
        }
        if let text = secretText, WebhookSecret(text) == nil {
            throw ValidationError("the webhook secret is empty, or whsec_ followed by text that is not base64")
        }
    }

    private var secretText: String? {
        webhookSecret ?? ProcessInfo.processInfo.environment[Self.secretVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    var configuration: WebhookConfiguration {
        WebhookConfiguration(
            secret: secretText.flatMap(WebhookSecret.init), allowPrivateTargets: allowPrivateWebhooks,
            firstRetryDelay: .milliseconds(Int64(webhookRetrySeconds * 1_000)))
    }
}
