import Foundation
import TestSupport
import Testing

/// `-version` through the `vegeta` link and `--version` through the `chaos` link: each tool's own text, plus
/// barrage's version.
@Suite("version texts", .timeLimit(.minutes(3)))
struct VersionTests {
    /// A directory holding `vegeta` and `chaos` links to the built binary.
    static func links() throws -> String {
        let dir = try Run.temporaryDirectory()
        for name in ["vegeta", "chaos"] {
            try FileManager.default.createSymbolicLink(atPath: dir + "/" + name, withDestinationPath: Paths.barrage)
        }
        return dir
    }

    static func barrageVersion() throws -> String {
        let out = try Run.barrage(["-version"])
        let first = try #require(out.stdoutText.split(separator: "\n").first)
        return String(first.dropFirst("Version: ".count))
    }

    @Test func vegetaLinkPrintsVegetasLinesThenBarrage() throws {
        let dir = try Self.links()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = try Run.process(dir + "/vegeta", ["-version"])
        #expect(out.status == 0)
        let lines = out.stdoutText.split(separator: "\n").map(String.init)
        try #require(lines.count == 5)
        #expect(lines[0] == "Version: v12.13.0")
        #expect(lines[1].hasPrefix("Commit: "))
        #expect(lines[2].hasPrefix("Runtime: ") && lines[2].contains(" linux/"))
        #expect(lines[3].hasPrefix("Date: "))
        #expect(lines[4].hasPrefix("Barrage: \(try Self.barrageVersion()) "))
        #expect(out.stdoutText.hasSuffix("\n"))
    }

    @Test func barrageKeepsItsOwnVersionFirst() throws {
        let out = try Run.barrage(["-version"])
        #expect(out.stdoutText.hasPrefix("Version: \(try Self.barrageVersion())\n"))
        #expect(!out.stdoutText.contains("Version: v12.13.0"))
    }

    @Test(.enabled(if: RealChaos.path != nil, "run scripts/ensure-chaostoolkit"))
    func chaosVersionIsTheRealLineWithBarrage() throws {
        let real = try Run.process(try #require(RealChaos.path), ["--version"])
        let expected = real.stdoutText.trimmingCharacters(in: .newlines) + " (barrage \(try Self.barrageVersion()))\n"
        let dir = try Self.links()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let viaLink = try Run.process(dir + "/chaos", ["--version"])
        let viaCommand = try Run.barrage(["chaos", "--version"])
        #expect(viaLink.stdoutText == expected)
        #expect(viaCommand.stdoutText == expected)
        #expect(viaLink.status == real.status)
    }
}
