import DarkroomCore
import DarkroomStore
import Foundation
import HTTPTypes

/// `/v1/admin`: tenants and keys over HTTP, for admin keys only (and every request while authentication is off),
/// doing what `darkroom tenants` and `darkroom keys` do.
extension APIHandler {
    func listTenants(_ input: Operations.ListTenants.Input) async throws -> Operations.ListTenants.Output {
        guard Principal.current.isAdmin else { return .forbidden(Problem.adminRequired.response) }
        let tenants = try await gateway.tenants.tenants()
        return .ok(.init(body: .json(.init(tenants: tenants.map(Components.Schemas.Tenant.init)))))
    }

    func createTenant(_ input: Operations.CreateTenant.Input) async throws -> Operations.CreateTenant.Output {
        guard Principal.current.isAdmin else { return .forbidden(Problem.adminRequired.response) }
        guard case .json(let settings) = input.body else { return .badRequest(Problem.unreadableBody.response) }
        guard let name = settings.name else {
            return .unprocessableContent(
                Problem(.unprocessableContent, .missingField, detail: "a new tenant needs a name", field: "name")
                    .response)
        }
        let tenant = settings.tenant(named: name)
        do {
            try tenant.validate()
            return .created(.init(body: .json(.init(try await gateway.tenants.createTenant(tenant)))))
        } catch let error as TenantSettingError {
            return .unprocessableContent(Problem(error).response)
        } catch let error as TenantDirectoryError {
            return .conflict(Problem(error).response)
        }
    }

    func getTenant(_ input: Operations.GetTenant.Input) async throws -> Operations.GetTenant.Output {
        guard Principal.current.isAdmin else { return .forbidden(Problem.adminRequired.response) }
        guard let tenant = try await gateway.tenants.tenant(named: input.path.name) else {
            return .notFound(Problem(TenantDirectoryError.tenantNotFound(input.path.name)).response)
        }
        return .ok(.init(body: .json(.init(tenant))))
    }

    func updateTenant(_ input: Operations.UpdateTenant.Input) async throws -> Operations.UpdateTenant.Output {
        guard Principal.current.isAdmin else { return .forbidden(Problem.adminRequired.response) }
        guard case .json(let settings) = input.body else { return .badRequest(Problem.unreadableBody.response) }
        if let name = settings.name, name != input.path.name {
            return .unprocessableContent(
                Problem(.unprocessableContent, .invalidValue, detail: "a tenant cannot be renamed", field: "name")
                    .response)
        }
        let tenant = settings.tenant(named: input.path.name)
        do {
            try tenant.validate()
            return .ok(.init(body: .json(.init(try await gateway.tenants.updateTenant(tenant)))))
        } catch let error as TenantSettingError {
            return .unprocessableContent(Problem(error).response)
        } catch let error as TenantDirectoryError {
            return .notFound(Problem(error).response)
        }
    }

    func deleteTenant(_ input: Operations.DeleteTenant.Input) async throws -> Operations.DeleteTenant.Output {
        guard Principal.current.isAdmin else { return .forbidden(Problem.adminRequired.response) }
        do {
            try await gateway.tenants.deleteTenant(named: input.path.name)
            return .noContent(.init())
        } catch let error as TenantDirectoryError {
            return .notFound(Problem(error).response)
        }
    }

    func listTenantKeys(_ input: Operations.ListTenantKeys.Input) async throws -> Operations.ListTenantKeys.Output {
        guard Principal.current.isAdmin else { return .forbidden(Problem.adminRequired.response) }
        guard try await gateway.tenants.tenant(named: input.path.name) != nil else {
            return .notFound(Problem(TenantDirectoryError.tenantNotFound(input.path.name)).response)
        }
        let keys = try await gateway.tenants.keys(tenant: input.path.name)
        return .ok(.init(body: .json(.init(keys: keys.map(Components.Schemas.APIKey.init)))))
    }

    func createTenantKey(_ input: Operations.CreateTenantKey.Input) async throws -> Operations.CreateTenantKey.Output {
        guard Principal.current.isAdmin else { return .forbidden(Problem.adminRequired.response) }
        var settings = Components.Schemas.NewKeySettings()
        if case .json(let body) = input.body { settings = body }
        let token = APIKeyToken.generate()
        let key = APIKey(id: token.id, tenant: input.path.name, label: settings.label, isAdmin: settings.admin ?? false)
        do {
            let created = try await gateway.tenants.createKey(key, secretHash: token.secretHash)
            return .created(.init(body: .json(.init(key: .init(created), token: token.text))))
        } catch let error as TenantDirectoryError {
            return .notFound(Problem(error).response)
        }
    }

    func revokeKey(_ input: Operations.RevokeKey.Input) async throws -> Operations.RevokeKey.Output {
        guard Principal.current.isAdmin else { return .forbidden(Problem.adminRequired.response) }
        do {
            return .ok(.init(body: .json(.init(try await gateway.tenants.revokeKey(id: input.path.id, now: nil)))))
        } catch let error as TenantDirectoryError {
            return .notFound(Problem(error).response)
        }
    }
}
