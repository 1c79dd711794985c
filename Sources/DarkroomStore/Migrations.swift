import Foundation

/// The numbered `.sql` migration files shipped as resources, one folder per driver.
///
/// Files are named `NNNN_name.sql` and applied in that order; each driver has the same numbers and names.
enum Migrations {
    struct Migration: Sendable {
        let name: String
        let sql: String
    }

    static func load(driver: String) throws -> [Migration] {
        guard let folder = Bundle.module.resourceURL?.appendingPathComponent("Migrations/\(driver)") else {
            return []
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".sql") }
            .sorted()
        return try files.map { file in
            let sql = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            return Migration(name: String(file.dropLast(4)), sql: sql)
        }
    }
}
