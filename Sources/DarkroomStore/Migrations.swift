import Foundation

/// The numbered `.sql` migration files shipped as resources, one folder per driver.
///
/// Files are named `NNNN_name.sql` and applied in that order; each driver has the same numbers and names.
enum Migrations {
    struct Migration: Sendable {
        let name: String
        let sql: String

        /// The statements of the file, for drivers whose protocol runs one statement at a time.
        ///
        /// Files hold plain statements, each ending with `;` at the end of a line, and `--` comment lines;
        /// no function bodies or `DO` blocks, whose inner semicolons this split would cut.
        var statements: [String] {
            sql.split(separator: "\n")
                .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
                .joined(separator: "\n")
                .components(separatedBy: ";\n")
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: ";")) }
                .filter { !$0.isEmpty }
        }
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
