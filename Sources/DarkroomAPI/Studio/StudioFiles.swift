import Foundation
import Hummingbird

/// Darkroom Studio, the web page at `/` (docs/studio.md): static HTML, CSS and JavaScript modules built into the
/// binary as resources, served by Hummingbird's `FileMiddleware` from the `StudioPage` resource folder (`/` is
/// its `index.html`, `/studio/…` its assets).
///
/// The page needs no key to load: it asks for one, and sends it with each API call it makes.
enum StudioFiles {
    /// Whether `path` is one of the page's files, which anyone may load.
    static func isPagePath(_ path: String) -> Bool {
        path == "/" || path == "/index.html" || path.hasPrefix("/studio/")
    }

    /// Serves the page's files for a path no route answers; `nil` when the bundle has no page.
    static func middleware<Context: RequestContext>(for _: Context.Type) -> FileMiddleware<Context, LocalFileSystem>? {
        guard let folder = Bundle.module.resourceURL?.appendingPathComponent("StudioPage", isDirectory: true).path
        else { return nil }
        // `no-cache`: a browser revalidates (ETag) on each load, so an upgraded server's page shows at once.
        let revalidate = CacheControl([(MediaType(type: .any), [CacheControl.Value.noCache])])
        return FileMiddleware(folder, cacheControl: revalidate, searchForIndexHtml: true)
    }

    /// Keeps every answer to the page's own origin: `default-src 'self'`, plus `data:` and `blob:` images (the
    /// page shows previews as data URIs, and images fetched with the API key as blob URLs).
    static func securityMiddleware<Context: RequestContext>(for _: Context.Type) -> ContentSecurityMiddleware<Context> {
        ContentSecurityMiddleware(contentSecurityPolicy: [
            .defaultSrc(.self),
            .imgSrc(.self, .scheme(.init(rawValue: "data:")), .scheme(.init(rawValue: "blob:"))),
            .baseURI(.none),
            .formAction(.self),
            .frameAncestors(.none),
        ])
    }
}
