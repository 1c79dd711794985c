import ArgumentParser
import DarkroomAPI
import DarkroomCore
import DarkroomStore
import Foundation

/// `darkroom keys create|list|revoke`: the API keys clients authenticate with.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke API keys (docs/tenants.md).",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key for a tenant; the key is printed once, alone on the last line.")

        @Argument(help: "The tenant the key acts for.")
        var tenant: String
        @Option(help: "A label for people (\"ci\", \"studio laptop\").")
        var name: String?
        @Flag(help: "The key may also manage tenants and keys (/v1/admin).")
        var admin = false
        @OptionGroup var store: DirectoryOptions

        func run() async throws {
            let token = APIKeyToken.generate()
            let key = APIKey(id: token.id, tenant: tenant, label: name, isAdmin: admin)
            let created = try await TenantOutput.reporting {
                try await store.withDirectory { try await $0.createKey(key, secretHash: token.secretHash) }
            }
            print(TenantOutput.line(created))
            print(token.text)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never their secrets), oldest first.")

        @Option(help: "Only this tenant's keys.")
        var tenant: String?
        @Flag(help: "Print JSON instead of lines.")
        var json = false
        @OptionGroup var store: DirectoryOptions

        func run() async throws {
            let keys = try await store.withDirectory { try await $0.keys(tenant: tenant) }
            if json {
                print(try TenantOutput.json(keys))
            } else {
                keys.forEach { print(TenantOutput.line($0)) }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a key: it stops working within seconds on every gateway.")

        @Argument(help: "The key's id (the 12 hex digits after dr_, as keys list shows).")
        var id: String
        @OptionGroup var store: DirectoryOptions

        func run() async throws {
            let revoked = try await TenantOutput.reporting {
                try await store.withDirectory { try await $0.revokeKey(id: id, now: nil) }
            }
            print(TenantOutput.line(revoked))
        }
    }
}
