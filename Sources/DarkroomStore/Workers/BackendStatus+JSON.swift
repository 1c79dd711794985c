import DarkroomCore
import Foundation

extension BackendStatus {
    /// The statuses in a worker row's `backends` column.
    static func decodeList(_ text: String) throws -> [BackendStatus] {
        try JSONDecoder().decode([BackendStatus].self, from: Data(text.utf8))
    }
}
