// swift-tools-version:6.0
import Foundation
import PackageDescription

/// Distributed search on MPI (`icmc check … --distributed` under `mpirun`) is built when Open
/// MPI's headers are installed (`apt-get install libopenmpi-dev openmpi-bin`, `brew install
/// open-mpi`); `ICMC_MPI=0 swift build` leaves it out even then. Without it, `--distributed`
/// is rejected with one line and everything else is the same.
let mpiHeaders = [
    "/usr/lib/x86_64-linux-gnu/openmpi/include/mpi.h", "/usr/lib/aarch64-linux-gnu/openmpi/include/mpi.h",
    "/usr/include/openmpi/mpi.h", "/usr/local/include/mpi.h", "/opt/homebrew/include/mpi.h",
]
let mpiEnabled =
    ProcessInfo.processInfo.environment["ICMC_MPI"] != "0"
    && mpiHeaders.contains { FileManager.default.fileExists(atPath: $0) }

/// Module map (dependencies point one way, top to bottom):
///   ModelChecking      generic explicit-state engine; knows nothing about the IC
///   Benchmarks         IC-Ring and TwoPhase benchmark models (ordinary TransitionSystems)
///   ICCore             the vocabulary shared by model and executor: values, canister-program API,
///                      actions (the trace vocabulary), configuration, the read-only view for properties
///   ICMessaging        the IC messaging semantics as a TransitionSystem, and its properties
///   CZ3 / SMT          libz3 through its C API, and a safe Swift layer over it
///   ICProofs           symbolic encoding of the IC rules, inductive proofs, bounded model checking
///   ICProofsAgreement  cross-checks of the symbolic encoding against ICMessaging, BMC trace export
///   ReferenceExecutor  an independent IC-like executor, trace replay, fault-injection simulation
///   ICSpec             what users build specs on: Spec, SpecCatalog, parameters, the runner
///   Specs              the built-in specification catalogue (folder Specs/)
///   CMPI / MPICommunicator  Open MPI through its C API, as the distributed search's transport
///                      (only when MPI is installed; see `mpiEnabled`)
///   ICMCCommandLine    every command, on any catalogue: `ICMC.main(catalog:)`
///   icmc               the command-line tool: `ICMC.main(catalog: .builtIn)`
///
/// No target uses unsafe build flags: a package that depends on icmc by version can use every
/// library product.
let package = Package(
    name: "icmc",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "icmc", targets: ["icmc"]),
        .library(name: "ModelChecking", targets: ["ModelChecking"]),
        .library(name: "ICCore", targets: ["ICCore"]),
        .library(name: "ICMessaging", targets: ["ICMessaging"]),
        .library(name: "ICSpec", targets: ["ICSpec"]),
        .library(name: "ReferenceExecutor", targets: ["ReferenceExecutor"]),
        .library(name: "ICProofs", targets: ["ICProofs"]),
        .library(name: "ICMCCommandLine", targets: ["ICMCCommandLine"]),
        .library(name: "Specs", targets: ["Specs"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Documentation only: `swift package generate-documentation --target ModelChecking`.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .target(name: "ModelChecking"),
        .target(name: "Benchmarks", dependencies: ["ModelChecking"]),
        .target(name: "ICCore", dependencies: ["ModelChecking"]),
        .target(name: "ICMessaging", dependencies: ["ModelChecking", "ICCore"]),
        .systemLibrary(
            name: "CZ3",
            pkgConfig: "z3",
            providers: [.apt(["libz3-dev"]), .brew(["z3"])]
        ),
        .target(name: "SMT", dependencies: ["CZ3"]),
        .target(name: "ICProofs", dependencies: ["SMT"]),
        .target(name: "ICProofsAgreement", dependencies: ["ICProofs", "SMT", "ICMessaging", "ICCore", "ModelChecking"]),
        .target(name: "ReferenceExecutor", dependencies: ["ICCore", "ModelChecking"]),
        .target(name: "ICSpec", dependencies: ["ICMessaging", "ICCore", "ModelChecking"]),
        .target(
            name: "Specs",
            dependencies: ["ICSpec", "ICMessaging", "ICCore", "ModelChecking"],
            path: "Specs"
        ),
        .target(
            name: "ICMCCommandLine",
            dependencies: [
                "ModelChecking", "Benchmarks", "ICCore", "ICMessaging", "ICProofs", "ReferenceExecutor", "ICSpec",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ] + (mpiEnabled ? ["MPICommunicator"] : []),
            swiftSettings: mpiEnabled ? [.define("ICMC_MPI")] : []
        ),
        .executableTarget(name: "icmc", dependencies: ["ICMCCommandLine", "Specs"]),
        .testTarget(name: "ModelCheckingTests", dependencies: ["ModelChecking"]),
        .testTarget(name: "ICCoreTests", dependencies: ["ICCore", "ModelChecking"]),
        .testTarget(name: "BenchmarksTests", dependencies: ["Benchmarks", "ModelChecking"]),
        // Test programs shared by several test targets (as swift-collections' _CollectionsTestSupport).
        .target(name: "ICTestSupport", dependencies: ["ICCore", "ModelChecking"], path: "Tests/ICTestSupport"),
        .testTarget(name: "ICMessagingTests", dependencies: ["ICMessaging", "ICCore", "ModelChecking", "ICTestSupport"]),
        .testTarget(name: "SMTTests", dependencies: ["SMT"]),
        .testTarget(name: "ICProofsTests", dependencies: ["ICProofs", "ICProofsAgreement", "ICMessaging", "SMT", "ICCore", "ModelChecking", "ReferenceExecutor"]),
        .testTarget(
            name: "ReferenceExecutorTests",
            dependencies: ["ReferenceExecutor", "ICCore", "ModelChecking", "ICMessaging", "ICSpec", "Specs", "ICTestSupport"]
        ),
        .testTarget(name: "SpecsTests", dependencies: ["Specs", "ICSpec", "ICMessaging", "ModelChecking", "ICCore"]),
        .testTarget(name: "icmcTests", dependencies: ["icmc", "ICMCCommandLine", "ICSpec", "Specs", "ICCore", "ICMessaging", "ReferenceExecutor"]),
    ]
)

if mpiEnabled {
    package.targets += [
        .systemLibrary(
            name: "CMPI",
            pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev", "openmpi-bin"]), .brew(["open-mpi"])]
        ),
        .target(name: "MPICommunicator", dependencies: ["CMPI", "ModelChecking"]),
    ]
}
