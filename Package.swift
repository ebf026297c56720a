// swift-tools-version: 6.2
import PackageDescription

// Upcoming features every target opts into (STYLE.md §2).
let strict: [SwiftSetting] = [
    "ExistentialAny", "MemberImportVisibility", "InternalImportsByDefault", "NonisolatedNonsendingByDefault",
].map { .enableUpcomingFeature($0) }

let package = Package(
    name: "barrage",
    products: [
        .executable(name: "barrage", targets: ["barrage"]),
        .library(name: "Encoder", targets: ["Encoder"]),
        .library(name: "Plotter", targets: ["Plotter"]),
        .library(name: "Attacker", targets: ["Attacker"]),
        // For the fuzz targets (Fuzz/Package.swift), which reach these through products.
        .library(name: "ChaosGlue", targets: ["ChaosGlue"]),
        .library(name: "GoFlags", targets: ["GoFlags"]),
    ],
    dependencies: [
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // System libraries (Debian -dev packages) and the Linux calls Glibc's module lacks.
        .systemLibrary(name: "CLinux"),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CNghttp2", pkgConfig: "libnghttp2", providers: [.apt(["libnghttp2-dev"])]),

        // The foundation every other target may import; it imports none of them.
        .target(name: "BarrageCore", dependencies: ["CLinux"], swiftSettings: strict),

        // One target per concern above it.
        .target(name: "Fetch", dependencies: ["BarrageCore", "CCurl"], swiftSettings: strict),
        .target(name: "Encoder", dependencies: ["BarrageCore", "CZlib"], swiftSettings: strict),
        .target(
            name: "Attacker",
            dependencies: ["BarrageCore", "CLinux", "CCurl", "COpenSSL", "CNghttp2", "Encoder", "CZlib"],
            swiftSettings: strict),
        .target(
            name: "Reporter",
            dependencies: ["BarrageCore", "Encoder", .product(name: "Histogram", package: "hdrhistogram-swift")],
            swiftSettings: strict),
        .target(
            name: "Plotter", dependencies: ["BarrageCore", "Encoder"],
            resources: [
                .embedInCode("Page/plot.js"), .embedInCode("Page/plot.css"), .embedInCode("Page/chart.js"),
                .embedInCode("Page/base.css"),
            ], swiftSettings: strict),
        .target(
            name: "ChaosGlue",
            dependencies: ["BarrageCore", "Fetch", "Encoder", "Reporter", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict),
        .target(
            name: "ChaosReport", dependencies: ["BarrageCore", "Encoder", "Plotter"],
            resources: [.embedInCode("Page/report.js"), .embedInCode("Page/report.css")], swiftSettings: strict),

        // Go's `flag` package rules for the vegeta commands (a library so the fuzz targets can link it).
        .target(name: "GoFlags", dependencies: ["BarrageCore", "Encoder"], swiftSettings: strict),

        // The executable: flag tables and wiring only.
        .executableTarget(
            name: "barrage",
            dependencies: [
                "BarrageCore", "Encoder", "GoFlags", "Attacker", "Reporter", "Plotter", "ChaosGlue", "ChaosReport",
            ],
            swiftSettings: strict),

        // Tests: one target per library target, the built binary's end-to-end tests in BarrageTests.
        .target(name: "TestSupport", path: "Tests/TestSupport", exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "BarrageCoreTests", dependencies: ["BarrageCore", "CLinux", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "FetchTests", dependencies: ["Fetch", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "EncoderTests", dependencies: ["Encoder", "TestSupport"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "AttackerTests", dependencies: ["Attacker", "BarrageCore", "Encoder", "TestSupport"],
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "ReporterTests", dependencies: ["Reporter", "BarrageCore", "Encoder", "TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: strict),
        .testTarget(name: "PlotterTests", dependencies: ["Plotter", "Encoder", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "ChaosGlueTests", dependencies: ["ChaosGlue", "BarrageCore", "TestSupport"], exclude: ["Fixtures"],
            swiftSettings: strict),
        .testTarget(
            name: "ChaosReportTests", dependencies: ["ChaosReport", "BarrageCore", "Encoder", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "BarrageTests",
            dependencies: ["barrage", "BarrageCore", "GoFlags", "Attacker", "Encoder", "ChaosGlue", "ChaosReport", "TestSupport"],
            exclude: ["Fixtures"], swiftSettings: strict),
    ]
)
