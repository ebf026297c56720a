import BarrageCore
import Encoder

/// Flags bound to properties: a command lists its flags as one table of `bind` calls, each writing its parsed value
/// straight into the property the key path names. The property's value when bound is the flag's default; parsing,
/// default texts and error messages are those of `bool`, `string`, `int`, `uint`, `duration` and `list`.
extension GoFlagSet {
    /// A boolean flag.
    public func bind<Root: AnyObject>(
        _ name: String, _ root: Root, _ path: ReferenceWritableKeyPath<Root, Bool>, _ usage: String
    ) {
        define(name, kind: .bool, default: root[keyPath: path] ? "true" : "", usage: usage) {
            (text) throws(FlagValueError) in root[keyPath: path] = try GoParse.bool(text)
        }
    }

    /// A string flag.
    public func bind<Root: AnyObject>(
        _ name: String, _ root: Root, _ path: ReferenceWritableKeyPath<Root, String>, _ usage: String
    ) {
        define(name, default: root[keyPath: path], usage: usage) { text in root[keyPath: path] = text }
    }

    /// A signed integer flag (strconv.ParseInt, base 0), clamped into `Int`.
    public func bind<Root: AnyObject>(
        _ name: String, _ root: Root, _ path: ReferenceWritableKeyPath<Root, Int>, _ usage: String
    ) {
        define(name, default: String(root[keyPath: path]), usage: usage) { (text) throws(FlagValueError) in
            root[keyPath: path] = Int(clamping: try GoParse.int(text))
        }
    }

    /// An unsigned integer flag (strconv.ParseUint, base 0).
    public func bind<Root: AnyObject>(
        _ name: String, _ root: Root, _ path: ReferenceWritableKeyPath<Root, UInt64>, _ usage: String
    ) {
        define(name, default: String(root[keyPath: path]), usage: usage) { (text) throws(FlagValueError) in
            root[keyPath: path] = try GoParse.uint(text)
        }
    }

    /// A duration flag in nanoseconds (time.ParseDuration).
    public func bindDuration<Root: AnyObject>(
        _ name: String, _ root: Root, _ path: ReferenceWritableKeyPath<Root, Int64>, _ usage: String
    ) {
        define(name, default: GoDuration.format(root[keyPath: path]), usage: usage) { (text) throws(FlagValueError) in
            root[keyPath: path] = try GoParse.duration(text)
        }
    }

    /// A repeatable string flag: every occurrence appends.
    public func bind<Root: AnyObject>(
        _ name: String, _ root: Root, _ path: ReferenceWritableKeyPath<Root, [String]>, _ usage: String
    ) {
        define(name, usage: usage) { text in root[keyPath: path].append(text) }
    }
}
