/// How a Darkroom transaction learns that its job has finished.
public enum WaitMode: String, Sendable, CaseIterable {
    /// Follow `GET /v1/jobs/{id}/events` (server-sent events) until the terminal `state` event.
    case sse
    /// Read `GET /v1/jobs/{id}` every poll interval (0.5 s), as a Celery-style client would.
    case poll
}
