// swift-tools-version:6.0
import PackageDescription

// A canister developer's own package: an ICRC-2-style escrow checked with icmc.
let package = Package(
    name: "EscrowPackage",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Inside the icmc repository: a path dependency on the repository root. In your own
        // package, depend on a released version instead:
        //     .package(url: "https://github.com/<owner>/icmc.git", from: "1.0.0"),
        .package(name: "icmc", path: "../.."),
    ],
    targets: [
        // The protocol: canister programs, properties and the spec catalogue.
        .target(
            name: "Escrow",
            dependencies: [
                .product(name: "ICCore", package: "icmc"),
                .product(name: "ICSpec", package: "icmc"),
            ]
        ),
        // The tool: every icmc command on the built-in specs and the escrow's.
        .executableTarget(
            name: "escrow-icmc",
            dependencies: [
                "Escrow",
                .product(name: "ICMCCommandLine", package: "icmc"),
                .product(name: "Specs", package: "icmc"),
            ]
        ),
        .testTarget(
            name: "EscrowTests",
            dependencies: [
                "Escrow",
                .product(name: "ICSpec", package: "icmc"),
                .product(name: "ModelChecking", package: "icmc"),
                .product(name: "ReferenceExecutor", package: "icmc"),
            ]
        ),
    ]
)
