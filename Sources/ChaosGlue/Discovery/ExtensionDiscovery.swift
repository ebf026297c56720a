import BarrageCore
import Foundation

/// `chaos discover`'s outcome: chaoslib's discovery document for barrage's native extensions, or the Python
/// package's own `discover()` run by chaoslib in a `python3` child for any other package.
///
/// barrage never installs packages (chaoslib runs `pip install -U`): a package is discovered as installed.
package enum ExtensionDiscovery {
    /// Why a discovery gave no document; `message` is what chaoslib's `DiscoveryFailed` would say.
    package struct Failure: Error, Sendable, CustomStringConvertible {
        /// The whole line the CLI logs as CRITICAL.
        package var message: String
        /// The line.
        package var description: String { message }
    }

    /// The discovery document of `package` as `json.dumps(discovery, indent=2)` writes it.
    ///
    /// - Parameters:
    ///   - package: a distribution name (`chaostoolkit-prometheus`, `barrage`) as `chaos discover` takes it.
    ///   - systemInfo: `--no-system-info` absent (extensions pass it on to their own system discovery).
    ///   - version: barrage's version, reported as the native extensions' version.
    /// - Returns: the document's text, without a trailing newline (as Python writes it).
    /// - Throws: `Failure` when the package is neither native nor importable by a Python with chaoslib.
    package static func discover(_ package: String, systemInfo: Bool, version: String) throws(Failure) -> String {
        if let native = NativeExtension.named(package) {
            return native.document(version: version).pythonDumps(indent: 2, ensureASCII: true)
        }
        return try viaPython(package, systemInfo: systemInfo)
    }

    /// chaoslib's `discover(download_and_install=False)` in the bridge's interpreter (`BARRAGE_PYTHON` or `python3`).
    private static func viaPython(_ package: String, systemInfo: Bool) throws(Failure) -> String {
        guard let python = Spawn.which(PythonBridge.interpreter) else {
            throw Failure(
                message:
                    "Package \(package) not found (barrage discovers Python packages with '\(PythonBridge.interpreter)', which is not on PATH)"
            )
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, package, systemInfo ? "1" : "0"]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Failure(message: "Package \(package) not found (cannot start \(python): \(error))")
        }
        // The document can exceed a pipe's buffer: read to the end before waiting.
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problem = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        switch process.terminationStatus {
        case 0: return text
        case 3: throw Failure(message: problem.trimmingCharacters(in: .whitespacesAndNewlines))
        case 4:
            throw Failure(
                message:
                    "Package \(package) not found (barrage discovers Python packages through chaoslib, and \(python) cannot import chaoslib)"
            )
        default:
            let last = problem.split(separator: "\n").last.map(String.init) ?? "exit \(process.terminationStatus)"
            throw Failure(message: "failed to discover \(package): \(last)")
        }
    }

    /// Exit 3 with chaoslib's message for `DiscoveryFailed`, 4 when chaoslib is missing; the document on stdout.
    private static let script = """
        import json, sys
        try:
            from chaoslib.discovery import discover
            from chaoslib.exceptions import DiscoveryFailed
        except ImportError:
            sys.exit(4)
        try:
            from chaostoolkit import encoder
        except ImportError:
            encoder = str
        try:
            d = discover(sys.argv[1], discover_system=sys.argv[2] == "1", download_and_install=False)
        except DiscoveryFailed as e:
            sys.stderr.write(str(e) + "\\n")
            sys.exit(3)
        sys.stdout.write(json.dumps(d, indent=2, default=encoder))
        """
}
