import Attacker
import BarrageCore
import Encoder
import GoFlags

#if canImport(Glibc)
    import Glibc
#endif

/// The checks of flag values that only make sense together or need files: vegeta's startup errors (exit 1, in
/// its order) and the values barrage refuses rather than ignore (usage errors, exit 2).
extension AttackCommand {
    /// vegeta's `-resolvers` check (right after its `-rate=0` check): each entry an IP with an optional port.
    static func checkResolvers(_ o: AttackOptions) throws(CommandExit) {
        for entry in o.resolvers {
            if let problem = AttackOptions.resolverProblem(entry) { throw CommandExit(ExitStatus.fatal(problem)) }
        }
    }

    /// Values vegeta would accept and then not use: `-max-workers=0` (no hit could ever go out; vegeta waits
    /// forever) is a usage error; `-proxy-header` with no proxy variable set (it only ever goes to a proxy) is a
    /// warning.
    static func checkUnused(_ o: AttackOptions, _ flags: GoFlagSet) throws(CommandExit) {
        if o.maxWorkers == 0 {
            throw CommandExit(
                ExitStatus.usage(#"invalid value "0" for flag -max-workers: no hit could ever be sent"#, flags))
        }
        // vegeta accepts -proxy-header without a proxy and never sends it; scripts pass it everywhere, so this is a
        // warning (one line), not an error.
        let proxyVariables = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"]
        if let first = o.proxyHeaders.first,
            !proxyVariables.contains(where: { getenv($0).map { $0.pointee != 0 } ?? false })
        {
            Output.stderr(
                "attack: -proxy-header \(goQuote("\(first.name): \(first.values.first ?? "")")) is not sent: no proxy "
                    + "is set (HTTP_PROXY, HTTPS_PROXY)\n")
        }
    }

    /// vegeta's `tlsConfig`: `-cert`, `-key` and every `-root-certs` file read (`open x: no such file or
    /// directory`), the certificate and key as Go's `tls.X509KeyPair` finds their PEM blocks, each CA file holding a
    /// certificate (`bad certificate`); returns the CA bundle.
    static func readTLSFiles(_ o: AttackOptions, rootCerts: [String]) throws(CommandExit) -> [UInt8] {
        var files: [String: [UInt8]] = [:]
        for path in [o.cert, o.key] + rootCerts where !path.isEmpty && files[path] == nil {
            let (bytes, err) = readFile(path)
            guard err == 0 else { throw CommandExit(ExitStatus.fatal("open \(path): \(errnoText(.go, code: err))")) }
            files[path] = bytes
        }
        if let cert = files[o.cert] {
            let key = files[o.key] ?? cert
            let certTypes = pemTypes(cert)
            if !certTypes.contains("CERTIFICATE") {
                throw CommandExit(
                    ExitStatus.fatal(
                        certTypes.isEmpty
                            ? "tls: failed to find any PEM data in certificate input"
                            : "tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping "
                                + "PEM blocks of the following types: [\(certTypes.joined(separator: " "))]"))
            }
            let keyTypes = pemTypes(key)
            if !keyTypes.contains(where: { $0 == "PRIVATE KEY" || $0.hasSuffix(" PRIVATE KEY") }) {
                throw CommandExit(
                    ExitStatus.fatal(
                        keyTypes.isEmpty
                            ? "tls: failed to find any PEM data in key input"
                            : "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input after "
                                + "skipping PEM blocks of the following types: [\(keyTypes.joined(separator: " "))]"))
            }
        }
        var bundle: [UInt8] = []
        for path in rootCerts {
            let bytes = files[path] ?? []
            guard pemTypes(bytes).contains("CERTIFICATE") else {
                throw CommandExit(ExitStatus.fatal("bad certificate"))
            }
            bundle += bytes + [0x0a]
        }
        return bundle
    }

    /// The types of the PEM blocks in `bytes` (`-----BEGIN TYPE-----` lines), in order.
    static func pemTypes(_ bytes: [UInt8]) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        var types: [String] = []
        var rest = Substring(text)
        while let begin = rest.firstRange(of: "-----BEGIN ") {
            rest = rest[begin.upperBound...]
            guard let end = rest.firstRange(of: "-----") else { break }
            let type = rest[..<end.lowerBound]
            if !type.contains("\n") { types.append(String(type)) }
            rest = rest[end.upperBound...]
        }
        return types
    }
}
