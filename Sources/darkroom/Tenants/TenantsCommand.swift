import ArgumentParser
import DarkroomCore
import DarkroomStore
import Foundation

/// `darkroom tenants create|list|update|delete`: who may use the service, with what share and limits.
struct TenantsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenants",
        abstract: "Create, list, update and delete tenants (docs/tenants.md).",
        subcommands: [Create.self, List.self, Update.self, Delete.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a tenant.")

        @Argument(help: "The tenant's name: a-z, 0-9, - and _, at most 63 characters.")
        var name: String
        @OptionGroup var limits: TenantLimitOptions
        @OptionGroup var store: DirectoryOptions

        func run() async throws {
            let tenant = limits.applied(to: Tenant(name: name))
            try TenantOutput.check(tenant)
            let created = try await TenantOutput.reporting {
                try await store.withDirectory { try await $0.createTenant(tenant) }
            }
            print(TenantOutput.line(created))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tenants, by name.")

        @Flag(help: "Print JSON instead of a table.")
        var json = false
        @OptionGroup var store: DirectoryOptions

        func run() async throws {
            let tenants = try await store.withDirectory { try await $0.tenants() }
            if json {
                print(try TenantOutput.json(tenants))
            } else {
                tenants.forEach { print(TenantOutput.line($0)) }
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a tenant's weight or limits.")

        @Argument(help: "The tenant's name.")
        var name: String
        @OptionGroup var limits: TenantLimitOptions
        @OptionGroup var store: DirectoryOptions

        func run() async throws {
            let updated = try await TenantOutput.reporting {
                try await store.withDirectory { directory in
                    guard let tenant = try await directory.tenant(named: name) else {
                        throw TenantDirectoryError.tenantNotFound(name)
                    }
                    let changed = limits.applied(to: tenant)
                    try TenantOutput.check(changed)
                    return try await directory.updateTenant(changed)
                }
            }
            print(TenantOutput.line(updated))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a tenant and its keys (its jobs stay until retention removes them).")

        @Argument(help: "The tenant's name.")
        var name: String
        @OptionGroup var store: DirectoryOptions

        func run() async throws {
            try await TenantOutput.reporting {
                try await store.withDirectory { try await $0.deleteTenant(named: name) }
            }
            print("deleted \(name)")
        }
    }
}
