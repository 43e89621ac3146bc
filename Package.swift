// swift-tools-version: 6.0
// paperverify: re-checks the quantitative claims of five papers on ergodicity breaking
// and quantum synchronization. See README.md and ../shared/ARCHITECTURE.md.
import PackageDescription

/// Physics kernels are compiled with optimization even in debug builds, so that the
/// quick tier inside `swift test` measures physics and not unoptimized Swift loops.
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "paperverify",
    products: [
        .executable(name: "paperverify", targets: ["paperverify"]),
        .library(name: "PaperVerifyKit", targets: ["Linalg", "Special", "Kernels", "Verification", "Catalog"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    ],
    targets: [
        // System libraries. GSL is linked without -lgslcblas: its CBLAS calls bind to
        // OpenBLAS, which the executable loads first (see Sources/CGSL/module.modulemap).
        .systemLibrary(name: "CLapack", path: "Sources/CLapack", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        .systemLibrary(name: "CGSL", path: "Sources/CGSL",
                       providers: [.apt(["libgsl-dev"])]),
        // Sparse shift-invert and sparse steady states (Linalg): ARPACK's Krylov iterations on
        // MUMPS's sparse LDLᵀ/LU factorizations (see Sources/CArpack, Sources/CMumps).
        .systemLibrary(name: "CArpack", path: "Sources/CArpack", pkgConfig: "arpack",
                       providers: [.apt(["libarpack2-dev"])]),
        .systemLibrary(name: "CMumps", path: "Sources/CMumps",
                       providers: [.apt(["libmumps-seq-dev"])]),

        // Swift API over LAPACKE/CBLAS and GSL: the only modules importing the C shims.
        .target(name: "Linalg",
                dependencies: ["CLapack", "CArpack", "CMumps", .product(name: "Numerics", package: "swift-numerics")],
                swiftSettings: optimizedInDebug),
        // Swift 5 language mode: GSL exposes its solver types as C globals (gsl_root_fsolver_brent).
        .target(name: "Special", dependencies: ["CGSL", "CLapack"],
                swiftSettings: optimizedInDebug + [.swiftLanguageMode(.v5)]),

        // Shared physics kernels, statistics, random numbers.
        .target(name: "Kernels",
                dependencies: ["Linalg", "Special", .product(name: "Numerics", package: "swift-numerics")],
                swiftSettings: optimizedInDebug),

        // Claim model, runner, baseline, report.
        .target(name: "Verification", dependencies: ["Kernels", "Linalg", "Special"]),

        // One module per paper: its models and claims, nothing generic.
        .target(name: "ErgodicInclusion", dependencies: ["Kernels", "Linalg", "Special", "Verification"],
                path: "Sources/Papers/ErgodicInclusion", swiftSettings: optimizedInDebug),
        .target(name: "MBLSync", dependencies: ["Kernels", "Linalg", "Special", "Verification"],
                path: "Sources/Papers/MBLSync", swiftSettings: optimizedInDebug),
        .target(name: "OpenSync", dependencies: ["Kernels", "Linalg", "Special", "Verification"],
                path: "Sources/Papers/OpenSync", swiftSettings: optimizedInDebug),
        .target(name: "KASGlass", dependencies: ["Kernels", "Linalg", "Special", "Verification"],
                path: "Sources/Papers/KASGlass", swiftSettings: optimizedInDebug),
        .target(name: "MFAvalanche", dependencies: ["Kernels", "Linalg", "Special", "Verification"],
                path: "Sources/Papers/MFAvalanche", swiftSettings: optimizedInDebug),

        // The list of all claims (the only module that sees every paper).
        .target(name: "Catalog",
                dependencies: ["Verification", "ErgodicInclusion", "MBLSync", "OpenSync", "KASGlass", "MFAvalanche"]),

        .executableTarget(name: "paperverify",
                          dependencies: ["Catalog", "Verification",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        .testTarget(name: "LinalgTests", dependencies: ["Linalg", "Special", "Kernels"]),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels", "Linalg"]),
        .testTarget(name: "VerificationTests", dependencies: ["Verification", "Catalog", "Kernels"]),
        .testTarget(name: "ClaimTests", dependencies: ["Catalog", "Verification"]),
        // Kernel and model tests of each paper (claims themselves are tested in ClaimTests).
        .testTarget(name: "MBLSyncTests", dependencies: ["MBLSync", "Kernels", "Linalg", "Verification"]),
        .testTarget(name: "OpenSyncTests", dependencies: ["OpenSync", "Kernels", "Linalg", "Verification"]),
        .testTarget(name: "KASGlassTests", dependencies: ["KASGlass", "Kernels", "Linalg", "Verification"]),
        .testTarget(name: "ErgodicInclusionTests", dependencies: ["ErgodicInclusion", "Kernels", "Linalg", "Verification"]),
        .testTarget(name: "MFAvalancheTests", dependencies: ["MFAvalanche", "Kernels", "Linalg", "Special", "Verification"]),
    ]
)
