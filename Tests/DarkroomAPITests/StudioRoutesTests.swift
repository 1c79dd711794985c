import DarkroomAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The Studio page's files at `/` and `/studio/…`: served without a key, with the Content-Security-Policy.
@Suite(.timeLimit(.minutes(5))) struct StudioRoutesTests {
    let fixture: APITestFixture

    init() async throws {
        fixture = try await APITestFixture()
    }

    @Test("/ is the page and its assets load without a key, while the API still needs one")
    func pageNeedsNoKey() async throws {
        try await fixture.makeApp(configuration: APITestFixture.keysRequired).test(.router) { client in
            let page = try await client.get("/")
            #expect(page.status == .ok)
            #expect(page.mediaType == "text/html")
            #expect(page.text.contains(#"<script type="module" src="/studio/main.js"></script>"#))
            #expect(page.text.contains(#"<label for="prompt">Prompt</label>"#))

            let script = try await client.get("/studio/main.js")
            #expect(script.status == .ok)
            #expect(script.mediaType == "application/javascript" || script.mediaType == "text/javascript")
            #expect(try await client.get("/studio/studio.css").mediaType == "text/css")

            _ = try await client.get("/v1/jobs").expectProblem(.unauthorized, code: "authentication_required")
            _ = try await client.get("/studio/nothing.js").expectProblem(.notFound, code: "route_not_found")
        }
    }

    @Test("every answer, page or API, carries a CSP of default-src 'self' and nosniff")
    func contentSecurityPolicy() async throws {
        try await fixture.makeApp().test(.router) { client in
            for path in ["/", "/studio/api.js", "/v1/queue"] {
                let response = try await client.get(path)
                let policy = try #require(response.headers[.contentSecurityPolicy], "\(path)")
                #expect(policy.hasPrefix("default-src 'self';"), "\(path): \(policy)")
                #expect(policy.contains("frame-ancestors 'none'"))
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
            }
        }
    }

    @Test("a path that tries to leave the page's folder is not served")
    func noTraversal() async throws {
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.get("/studio/..%2F..%2Fopenapi.yaml")
            #expect(response.status != .ok)
        }
    }
}
