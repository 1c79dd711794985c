import DarkroomCore
import Foundation
import Logging
import PostgresNIO

extension PostgresJobStore {
    /// The channel the `jobs_notify` trigger announces changes on.
    static let changeChannel = "darkroom_jobs"

    /// Follows other processes' changes (`LISTEN darkroom_jobs`) and publishes each changed job on this
    /// process's feed. A dropped connection is re-established after a second; changes announced meanwhile are
    /// missed, which consumers tolerate (the feed is a hint; they poll slowly as well).
    func listenForChanges() async {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.changeChannel) { notifications in
                        for try await notification in notifications {
                            await publishAnnounced(notification.payload)
                        }
                    }
                }
            } catch {
                guard !Task.isCancelled else { return }
                logger.debug("Change listener reconnecting", metadata: [LogKey.error.rawValue: "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Re-reads and publishes the job named by an announcement `"<instance> <job id>"`, unless it is our own.
    private func publishAnnounced(_ payload: String) async {
        let parts = payload.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0] != instanceID else { return }
        if let job = try? await job(id: JobID(rawValue: String(parts[1]))) {
            feed.publish([job])
        }
    }
}
