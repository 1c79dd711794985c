import DarkroomCore
import DarkroomWire
import Foundation
import HTTPTypes
import Hummingbird
import Logging

extension ComfyServer {
    /// aiohttp's answer to an unhandled exception in a handler.
    static var internalServerError: Response {
        .text("500 Internal Server Error\n\nServer got itself in trouble", status: .internalServerError)
    }

    func registerPrompt<Routes: RouterMethods>(on routes: Routes) {
        routes.get("prompt") { _, _ in Response.json(await queue.info, style: .pythonDefault) }
        routes.post("prompt") { request, _ in try await postPrompt(request) }
    }

    /// `POST /prompt`: validates the graph and queues it, or answers 400 with the validation errors.
    private func postPrompt(_ request: Request) async throws -> Response {
        let bytes = try await request.bodyBytes()
        guard configuration.failureRate == 0 || Double.random(in: 0..<1) >= configuration.failureRate else {
            logger.info("Simulated server error injected")
            return Self.internalServerError
        }
        guard let body = try? JSONParser.parse(bytes) else { return Self.internalServerError }
        guard case .object(let json) = body else {
            if case .array = body { return Self.noPrompt }
            return Self.internalServerError
        }
        let number: Double
        if let explicit = json["number"] {
            guard let value = try? PythonCoercion.float(explicit) else { return Self.internalServerError }
            number = value
        } else {
            number = await queue.nextNumber(front: json["front"].map(PythonCoercion.bool) ?? false)
        }
        guard let promptValue = json["prompt"] else { return Self.noPrompt }
        guard case .object(let prompt) = promptValue else { return Self.internalServerError }
        let promptID = json["prompt_id"].map(PythonCoercion.str) ?? UUID().uuidString.lowercased()
        let targets = json["partial_execution_targets"]?.array?.compactMap(\.string)
        let validation = PromptValidator.validate(prompt, targets: targets, catalog: catalog)
        var extraData = json["extra_data"]?.object ?? [:]
        if let client = json["client_id"] { extraData["client_id"] = client }
        guard validation.isValid else {
            logger.info("Invalid prompt", metadata: [LogKey.jobID.rawValue: .string(promptID)])
            return .json(
                ["error": validation.error ?? nil, "node_errors": .object(validation.nodeErrors)], status: .badRequest,
                style: .pythonDefault)
        }
        for key in ["auth_token_comfy_org", "api_key_comfy_org"] { extraData[key] = nil }
        await queue.put(
            QueueItem(
                number: number, promptID: promptID, prompt: prompt, extraData: extraData,
                outputs: validation.goodOutputs))
        return .json(
            ["prompt_id": .string(promptID), "number": .double(number), "node_errors": .object(validation.nodeErrors)],
            style: .pythonDefault)
    }

    private static var noPrompt: Response {
        .json(
            [
                "error": PromptValidation.reason(
                    type: "no_prompt", message: "No prompt provided", details: "No prompt provided"),
                "node_errors": [:],
            ], status: .badRequest, style: .pythonDefault)
    }
}
