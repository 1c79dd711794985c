// swift-tools-version: 6.1
import PackageDescription

// The HTTP floor of Darkroom's control plane: Hummingbird answering the control-plane benchmark's two requests
// per job with canned bytes (benchmarks/control_plane_ceiling.py runs it). Not part of Darkroom's package.
let package = Package(
    name: "http-floor",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1")
    ],
    targets: [
        .executableTarget(
            name: "http-floor",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        )
    ]
)
