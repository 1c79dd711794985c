import Foundation
import Logging

extension ComfyUIBackend {
    /// Interrupts the prompt if it runs (only when `interrupting`) and removes it if it waits, best effort, within
    /// ``Configuration/probeTimeout``. Runs in a task of its own: the calling task is already cancelled.
    func cancelPrompt(_ promptID: String, interrupting: Bool = true) async {
        let http = self.http
        let timeout = configuration.probeTimeout
        let interrupt = BackendJSON.object(["prompt_id": .string(promptID)]).encoded()
        let delete = BackendJSON.object(["delete": .array([.string(promptID)])]).encoded()
        let sent = await Task {
            async let interrupted =
                interrupting ? try? http.post("/interrupt", json: interrupt, timeout: timeout, maxBytes: 65536) : nil
            async let deleted = try? http.post("/queue", json: delete, timeout: timeout, maxBytes: 65536)
            let answers = interrupting ? await [interrupted, deleted] : [await deleted]
            return answers.allSatisfy { $0?.isSuccess == true }
        }.value
        if sent {
            logger.info("Backend interrupted")
        } else {
            logger.warning("Backend interrupt failed")
        }
    }
}
