// swift-tools-version: 6.2
import PackageDescription

// libFuzzer targets for every reader of outside input. Built and run by `scripts/fuzz` (`make fuzz`,
// `make fuzz-smoke`), which passes the sanitizer flags; a plain `swift build` of the main package never sees them.
let strict: [SwiftSetting] = [
    "ExistentialAny", "MemberImportVisibility", "InternalImportsByDefault", "NonisolatedNonsendingByDefault",
].map { .enableUpcomingFeature($0) }

/// Each fuzz target and the products of the main package it reads with.
let fuzzTargets: [(name: String, uses: [String])] = [
    ("FuzzGobResults", ["Encoder"]),
    ("FuzzJSONResults", ["Encoder"]),
    ("FuzzCSVResults", ["Encoder"]),
    ("FuzzHTTPTargets", ["Attacker"]),
    ("FuzzJSONTargets", ["Attacker"]),
    ("FuzzJSONExperiment", ["ChaosGlue"]),
    ("FuzzYAMLExperiment", ["ChaosGlue"]),
    ("FuzzGoFlags", ["GoFlags"]),
]

let package = Package(
    name: "barrage-fuzz",
    dependencies: [.package(name: "barrage", path: "..")],
    targets: [
        .target(
            name: "FuzzSupport", dependencies: [.product(name: "Encoder", package: "barrage")], swiftSettings: strict)
    ]
        + fuzzTargets.map { target in
            .executableTarget(
                name: target.name,
                dependencies: ["FuzzSupport"] + target.uses.map { .product(name: $0, package: "barrage") },
                swiftSettings: strict)
        }
)
