import DarkroomCore
import DarkroomStore

/// `GET /v1/jobs/{id}/deliveries`: what became of a job's webhook events.
extension APIHandler {
    func listJobDeliveries(_ input: Operations.ListJobDeliveries.Input) async throws
        -> Operations.ListJobDeliveries.Output
    {
        guard let id = JobID(parsing: input.path.id),
            try await gateway.job(id: id, visibleTo: Principal.current) != nil
        else {
            return .notFound(Problem.jobNotFound(input.path.id).response)
        }
        let deliveries = try await gateway.webhookDeliveries(of: id)
        return .ok(.init(body: .json(.init(deliveries: deliveries.map(Components.Schemas.WebhookDelivery.init)))))
    }
}
