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
    ],
    dependencies: [
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "Encoder", dependencies: ["CZlib"], swiftSettings: strict),
        .executableTarget(
            name: "barrage", dependencies: ["Encoder", "Attacker", "Reporter", "Plotter", "ChaosGlue"],
            swiftSettings: strict),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "Attacker", dependencies: ["CCurl", "Encoder", "CZlib"], swiftSettings: strict),
        .testTarget(
            name: "AttackerTests", dependencies: ["Attacker", "Encoder", "TestSupport"],
            exclude: ["Fixtures"], swiftSettings: strict),
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .target(
            name: "Reporter",
            dependencies: ["Encoder", .product(name: "Histogram", package: "hdrhistogram-swift")],
            swiftSettings: strict),
        .testTarget(
            name: "ReporterTests", dependencies: ["Reporter", "Encoder", "TestSupport"], exclude: ["Fixtures"],
            swiftSettings: strict),
        .testTarget(
            name: "EncoderTests", dependencies: ["Encoder", "TestSupport"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "BarrageTests", dependencies: ["barrage", "Encoder", "TestSupport"], swiftSettings: strict),
        .target(
            name: "Plotter", dependencies: ["Encoder"],
            resources: [
                .embedInCode("Page/plot.js"), .embedInCode("Page/plot.css"), .embedInCode("Page/chart.js"),
                .embedInCode("Page/base.css"),
            ], swiftSettings: strict),
        .testTarget(
            name: "PlotterTests", dependencies: ["Plotter", "Encoder", "TestSupport"], exclude: ["Fixtures"],
            swiftSettings: strict),
        .target(
            name: "ChaosGlue", dependencies: ["Encoder", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict),
        .testTarget(
            name: "ChaosGlueTests", dependencies: ["ChaosGlue", "TestSupport"], exclude: ["Fixtures"],
            swiftSettings: strict),
    ]
)

// The chaos report (`barrage chaos report`): the journal drawn over the attack's results.
package.targets += [
    .target(
        name: "ChaosReport", dependencies: ["Encoder", "Plotter", "ChaosGlue"],
        resources: [.embedInCode("Page/report.js"), .embedInCode("Page/report.css")], swiftSettings: strict),
    .testTarget(
        name: "ChaosReportTests", dependencies: ["ChaosReport", "ChaosGlue", "Encoder", "TestSupport"],
        exclude: ["Fixtures"], swiftSettings: strict),
]
package.targets.first { $0.name == "barrage" }?.dependencies.append("ChaosReport")
