import DarkroomCore
import HTTPTypes

extension Components.Schemas.JobRequest {
    /// The webhook this request asks for, checked: a signing secret must be configured, the URL must be an
    /// http(s) URL, and an address literal must not be loopback, private or link-local (names are checked at
    /// each delivery, on the addresses they resolve to).
    ///
    /// - Throws: a 422 ``Problem``: `webhooks_disabled`, `invalid_webhook_url`, `webhook_url_refused`, or
    ///   `invalid_parameter` for events without a URL.
    func webhookSubscription(_ configuration: WebhookConfiguration) throws -> WebhookSubscription? {
        guard let url = webhookUrl else {
            guard webhookEvents == nil else {
                throw Problem(
                    .unprocessableContent, .invalidParameter, detail: "webhook_events needs a webhook_url",
                    field: "webhook_events")
            }
            return nil
        }
        guard configuration.secret != nil else {
            throw Problem(
                .unprocessableContent, .webhooksDisabled,
                detail: "this server has no webhook signing secret (start it with --webhook-secret)",
                field: "webhook_url")
        }
        do {
            _ = try WebhookTarget(url, allowPrivate: configuration.allowPrivateTargets)
        } catch .invalidURL {
            throw Problem(
                .unprocessableContent, .invalidWebhookURL, detail: WebhookTarget.Refusal.invalidURL.description,
                field: "webhook_url")
        } catch {
            throw Problem(.unprocessableContent, .webhookURLRefused, detail: error.description, field: "webhook_url")
        }
        var events: [WebhookEvent] = []
        for event in webhookEvents?.map(WebhookEvent.init) ?? WebhookEvent.terminal where !events.contains(event) {
            events.append(event)
        }
        return WebhookSubscription(url: url, events: events)
    }
}
