import DarkroomStore
import Foundation
import Logging
import Testing

/// Every `JobStore` driver the conformance suite runs against.
///
/// PostgreSQL joins this list when its driver lands; each case must pass the same suite unchanged.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite

    var testDescription: String { rawValue }

    /// A fresh, migrated store of this kind, in its own temporary location.
    func makeStore() async throws -> StoreFixture {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("darkroom-store-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let store = try SQLiteJobStore(
                path: directory.appendingPathComponent("jobs.sqlite").path, logger: Logger(label: "test"))
            try await store.migrate()
            return StoreFixture(store: store, cleanup: { try? FileManager.default.removeItem(at: directory) })
        }
    }
}

