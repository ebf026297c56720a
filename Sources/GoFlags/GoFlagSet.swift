import BarrageCore
import Encoder

/// A command-line flag set that follows Go's `flag` package rules, shared by every vegeta-style command.
///
/// Why not swift-argument-parser: vegeta's users pass `--rate=10`, `-lazy=false`, `-to csv` and expect parsing
/// to stop at the first file name; ArgumentParser rejects the first two and keeps parsing after positionals
/// (reference §1). This type reproduces Go's algorithm (`flag.FlagSet.parseOne`) and its error texts exactly.
public final class GoFlagSet {
    /// How a flag consumes its value.
    public enum Kind {
        /// `-x` means true, `-x=false` sets a value; `-x false` does not (Go).
        case bool
        /// `-x v`, `-x=v`.
        case value
    }

    public struct Flag {
        public let name: String
        public let kind: Kind
        public let usage: String
        public let defaultText: String
        public let set: (String) throws(FlagValueError) -> Void
    }

    /// The command name used in usage text.
    public let name: String
    public private(set) var flags: [String: Flag] = [:]
    public private(set) var order: [String] = []
    /// Text printed before the flag list by `usageText`.
    public var header: String
    /// Text printed after the flag list by `usageText`.
    public var footer: String = ""

    public init(name: String, header: String) {
        self.name = name
        self.header = header
    }

    /// Registers a flag whose `set` closure parses and stores its value.
    public func define(
        _ name: String, kind: Kind = .value, default defaultText: String = "", usage: String,
        set: @escaping (String) throws(FlagValueError) -> Void
    ) {
        flags[name] = Flag(name: name, kind: kind, usage: usage, defaultText: defaultText, set: set)
        order.append(name)
    }

    /// A boolean flag (strconv.ParseBool spellings).
    public func bool(_ name: String, _ initial: Bool, _ usage: String) -> FlagRef<Bool> {
        value(name, initial, kind: .bool, default: initial ? "true" : "", usage: usage, parse: GoParse.bool)
    }

    /// A string flag.
    public func string(_ name: String, _ initial: String, _ usage: String) -> FlagRef<String> {
        value(name, initial, default: initial, usage: usage) { text in text }
    }

    /// A signed integer flag (strconv.ParseInt, base 0).
    public func int(_ name: String, _ initial: Int64, _ usage: String) -> FlagRef<Int64> {
        value(name, initial, default: String(initial), usage: usage, parse: GoParse.int)
    }

    /// An unsigned integer flag (strconv.ParseUint, base 0).
    public func uint(_ name: String, _ initial: UInt64, _ usage: String) -> FlagRef<UInt64> {
        value(name, initial, default: String(initial), usage: usage, parse: GoParse.uint)
    }

    /// A duration flag in nanoseconds (time.ParseDuration).
    public func duration(_ name: String, _ initial: Int64, _ usage: String) -> FlagRef<Int64> {
        value(name, initial, default: GoDuration.format(initial), usage: usage, parse: GoParse.duration)
    }

    /// A flag holding one value that `parse` reads from its text; a later occurrence replaces an earlier one.
    private func value<T>(
        _ name: String, _ initial: T, kind: Kind = .value, default defaultText: String, usage: String,
        parse: @escaping (String) throws(FlagValueError) -> T
    ) -> FlagRef<T> {
        let ref = FlagRef(initial)
        define(name, kind: kind, default: defaultText, usage: usage) { (text) throws(FlagValueError) in
            ref.value = try parse(text)
            ref.isSet = true
        }
        return ref
    }

    /// A repeatable string flag: every occurrence appends.
    public func list(_ name: String, _ usage: String) -> FlagRef<[String]> {
        let ref = FlagRef([String]())
        define(name, usage: usage) { text in
            ref.value.append(text)
            ref.isSet = true
        }
        return ref
    }

    /// Parses `arguments` (without the command name) the way Go's `FlagSet.Parse` does.
    ///
    /// - Returns: the positional arguments: everything from the first non-flag, a lone `-`, or after `--`.
    /// - Throws: `FlagError.help` for `-h`/`-help`; `FlagError.usage` with Go's message otherwise.
    public func parse(_ arguments: [String]) throws(FlagError) -> [String] {
        var args = arguments[...]
        while let s = args.first {
            let u = Array(s.utf8)
            if u.count < 2 || u[0] != UInt8(ascii: "-") { break }
            var minuses = 1
            if u[1] == UInt8(ascii: "-") {
                minuses = 2
                if u.count == 2 {
                    args = args.dropFirst()
                    break
                }
            }
            var name = String(decoding: u[minuses...], as: UTF8.self)
            if name.isEmpty || name.hasPrefix("-") || name.hasPrefix("=") {
                throw .usage("bad flag syntax: \(s)")
            }
            args = args.dropFirst()
            var value: String?
            if let eq = name.firstIndex(of: "="), eq != name.startIndex {
                value = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard let flag = flags[name] else {
                if name == "help" || name == "h" { throw .help }
                throw .usage("flag provided but not defined: -\(name)")
            }
            switch flag.kind {
            case .bool:
                do throws(FlagValueError) {
                    try flag.set(value ?? "true")
                } catch {
                    if let value {
                        throw .usage("invalid boolean value \(goQuote(value)) for -\(name): \(error.message)")
                    }
                    throw .usage("invalid boolean flag \(name): \(error.message)")
                }
            case .value:
                if value == nil, let next = args.first {
                    value = next
                    args = args.dropFirst()
                }
                guard let value else { throw .usage("flag needs an argument: -\(name)") }
                do throws(FlagValueError) {
                    try flag.set(value)
                } catch {
                    throw .usage("invalid value \(goQuote(value)) for flag -\(name): \(error.message)")
                }
            }
        }
        return Array(args)
    }

    /// The usage text: header, then each flag in definition order with its help and default.
    public var usageText: String {
        var out = header
        if !out.hasSuffix("\n") { out += "\n" }
        if !order.isEmpty { out += "\nFlags:\n" }
        for name in order.sorted() {
            guard let flag = flags[name] else { continue }
            out += "  -\(name)"
            out += "\n        \(flag.usage.replacingAll("\n", with: "\n        "))"
            if !flag.defaultText.isEmpty && flag.defaultText != "0" && flag.defaultText != "0s" {
                out += " (default \(flag.defaultText))"
            }
            out += "\n"
        }
        if !footer.isEmpty { out += "\n" + footer }
        if !out.hasSuffix("\n") { out += "\n" }
        return out
    }
}

/// A mutable cell a flag writes its parsed value into.
public final class FlagRef<T> {
    public var value: T
    /// Whether the flag appeared on the command line.
    public var isSet = false
    public init(_ value: T) { self.value = value }
}

/// Why parsing stopped: a help request or a usage error carrying Go's message.
public enum FlagError: Error, Equatable, CustomStringConvertible {
    case help
    case usage(String)

    public var description: String {
        switch self {
        case .help: return "flag: help requested"
        case .usage(let message): return message
        }
    }
}

/// A value that a flag could not accept; `message` is Go's (`parse error`, `value out of range`, or the flag's own).
public struct FlagValueError: Error, Equatable {
    public let message: String

    /// A value error with `message` (printed after `invalid value "..." for flag -x: `).
    public init(message: String) { self.message = message }
    public static let parse = FlagValueError(message: "parse error")
    public static let range = FlagValueError(message: "value out of range")
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation needed).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        return self.split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
