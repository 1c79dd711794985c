import DarkroomCore
import Foundation

/// A webhook's body, in the Standard Webhooks shape: `{"type": "job.succeeded", "timestamp": …, "data": <job>}`.
///
/// `data` is the job as `GET /v1/jobs/{id}` shows it when the delivery is made (a late `job.running` delivery
/// may show a job that has since finished); `type` names the change that caused the delivery.
struct WebhookPayload: Encodable {
    var type: String
    var timestamp: Date
    var data: Components.Schemas.Job

    init(event: WebhookEvent, job: Job, at timestamp: Date) {
        type = event.rawValue
        self.timestamp = timestamp
        data = Components.Schemas.Job(job)
    }

    func encoded() throws -> Data {
        try DarkroomHTTP.jsonEncoder.encode(self)
    }
}
