public import BarrageCore
import Foundation

/// `within_tolerance` (reference §5.1), dispatched on the tolerance's type.
public enum Tolerance {
    /// Runs a probe tolerance's activity (with `value` already injected); returns its output, throws
    /// ActivityFailed (tolerance false) or anything else (a crash).
    public typealias ProbeRunner = (JSON) throws -> JSON

    /// True when `value` is within `tolerance`. Throws `ChaosError.crash` where chaostoolkit raises out of the
    /// evaluator (regex/range on a dict, a probe tolerance without `arguments`, ...).
    public static func check(
        _ tolerance: JSON, value: JSON, substitution: Substitution, runProbe: ProbeRunner? = nil
    ) throws -> Bool {
        switch tolerance {
        case .bool:
            return JSON.pythonEquals(value, tolerance)
        case .int:
            if case .object = value, let status = value["status"] { return JSON.pythonEquals(status, tolerance) }
            return JSON.pythonEquals(value, tolerance)
        case .string(let s):
            // chaoslib substitutes a string tolerance before dispatching on its type, so `"${n}"` holding 3 is an
            // integer tolerance (and one holding a mapping, a mapping tolerance).
            let substituted = substitution.apply(string: s)
            if case .string = substituted { return JSON.pythonEquals(value, substituted) }
            return try check(substituted, value: value, substitution: substitution, runProbe: runProbe)
        case .array(let items):
            if case .object = value, let status = value["status"] {
                return items.contains { JSON.pythonEquals($0, status) }
            }
            if items.count == 2 {
                guard let low = JSON.pythonLessOrEqual(items[0], value),
                    let high = JSON.pythonLessOrEqual(value, items[1])
                else {
                    throw ChaosError.crash(
                        "TypeError: '<=' not supported between instances of '\(items[0].pythonTypeName)' and "
                            + "'\(value.pythonTypeName)' (tolerance \(tolerance.pythonDumps()))")
                }
                return low && high
            }
            return items.contains { JSON.pythonEquals($0, value) }
        case .object:
            return try checkObject(tolerance, value: value, substitution: substitution, runProbe: runProbe)
        default:
            // float or null: validation rejects them; without validation chaoslib returns None (not met).
            return false
        }
    }

    private static func target(_ tolerance: JSON, _ value: JSON) throws(ChaosError) -> JSON {
        guard let target = tolerance["target"], target.isTruthy else { return value }
        guard case .object = value else {
            throw ChaosError.crash(
                "AttributeError: '\(value.pythonTypeName)' object has no attribute 'get' (tolerance target '\(target.pythonString)')"
            )
        }
        return value[target.pythonString] ?? value
    }

    private static func checkObject(
        _ tolerance: JSON, value: JSON, substitution: Substitution, runProbe: ProbeRunner?
    ) throws -> Bool {
        switch tolerance["type"]?.string {
        case "regex": return try checkRegex(tolerance, value: value, substitution: substitution)
        case "jsonpath": return try checkJSONPath(tolerance, value: value, substitution: substitution)
        case "range": return try checkRange(tolerance, value: value)
        case "probe": return try checkProbe(tolerance, value: value, runProbe: runProbe)
        default: return false
        }
    }

    /// A `regex` tolerance: the pattern searched in the (string) target.
    private static func checkRegex(_ tolerance: JSON, value: JSON, substitution: Substitution) throws(ChaosError)
        -> Bool
    {
        let substituted = substitution.apply(tolerance["pattern"] ?? .null)
        guard case .string(let pattern) = substituted else {
            throw ChaosError.crash(
                "TypeError: first argument must be string or compiled pattern (regex tolerance pattern \(substituted.pythonDumps()))"
            )
        }
        let subject = try target(tolerance, value)
        guard case .string(let text) = subject else {
            throw ChaosError.crash(
                "TypeError: expected string or bytes-like object, got '\(subject.pythonTypeName)' (regex tolerance '\(pattern)')"
            )
        }
        do {
            return try PythonRegex(pattern).search(text)
        } catch {
            throw ChaosError.crash("re.error: \(error) (regex tolerance pattern \(JSON.string(pattern).pythonRepr))")
        }
    }

    /// A `jsonpath` tolerance: the path's matches against `expect` or `count`, else whether there are any.
    private static func checkJSONPath(_ tolerance: JSON, value: JSON, substitution: Substitution) throws(ChaosError)
        -> Bool
    {
        let path = substitution.apply(tolerance["path"] ?? .null).pythonString
        var subject = try target(tolerance, value)
        if case .string(let s) = subject, let parsed = try? JSONParser.parse(s) { subject = parsed }
        let values: [JSON]
        do {
            values = try JSONPath(path).values(in: subject)
        } catch let error as JSONPath.ParseError {
            throw ChaosError.crash("ValueError: JSON path \(path) is invalid: \(error)")
        } catch {
            throw ChaosError.crash("\(error) (JSON path \(path))")
        }
        if let expect = tolerance["expect"] {
            let e = substitution.apply(expect)
            if case .array = e { return JSON.pythonEquals(.array(values), e) }
            return JSON.pythonEquals(.array(values), .array([e]))
        }
        if let count = tolerance["count"], !count.isNull {
            return JSON.pythonEquals(.int(values.count), count)
        }
        return !values.isEmpty
    }

    /// A `range` tolerance: the (numeric or numeric-string) target within the two bounds.
    private static func checkRange(_ tolerance: JSON, value: JSON) throws(ChaosError) -> Bool {
        guard let range = tolerance["range"]?.array, range.count == 2, let lo = range[0].number,
            let hi = range[1].number
        else {
            let text = (tolerance["range"] ?? .null).pythonDumps()
            throw ChaosError.crash("TypeError: range tolerance needs two numbers, got \(text)")
        }
        let subject = try target(tolerance, value)
        let number: Double
        switch subject {
        case .int, .double, .bool: number = subject.number ?? 0
        case .string(let s):
            guard let d = Double(s.trimmingSpaces().replacingOccurrences("_", "")) else { return false }
            number = d
        default:
            throw ChaosError.crash(
                "TypeError: conversion from \(subject.pythonTypeName) to Decimal is not supported (range tolerance)")
        }
        return lo <= number && number <= hi
    }

    /// A `probe` tolerance: runs the provider with `value` injected into its arguments; truthy output passes.
    private static func checkProbe(_ tolerance: JSON, value: JSON, runProbe: ProbeRunner?) throws -> Bool {
        guard var provider = tolerance["provider"], provider.isObject, let arguments = provider["arguments"] else {
            throw ChaosError.crash(
                "KeyError: 'arguments' (a probe tolerance's provider needs an \"arguments\" entry, e.g. {})")
        }
        guard arguments.isObject else {
            throw ChaosError.crash("TypeError: a probe tolerance's arguments must be a mapping to receive 'value'")
        }
        var args = arguments
        args["value"] = value
        provider["arguments"] = args
        var activity = tolerance
        activity["provider"] = provider
        guard let runProbe else { return false }
        do {
            return try runProbe(activity).isTruthy
        } catch is ActivityFailed {
            return false
        } catch let e as ChaosError {
            throw e
        } catch let e as Interruption {
            throw e
        } catch let e as ActivityAborted {
            throw ChaosError.crash(e.message)
        } catch {
            throw ChaosError.crash("\(error)")
        }
    }
}
