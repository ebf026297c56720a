public import BarrageCore
import Foundation

/// Finds the result files an experiment's attacks wrote: process activities that run `vegeta attack` or
/// `barrage attack` (the path is, or ends with, `vegeta`/`barrage`, or a shell runs a script that calls one)
/// with `-output=FILE`, `-output FILE` or a `> FILE` redirection.
public enum ResultFileFinder {
    /// A result file named by an activity.
    public struct Found: Sendable, Equatable {
        /// The file as the activity names it.
        public var named: String
        /// Where the report looks for it: relative names resolved against the journal's directory.
        public var path: String
        /// The activity that writes it.
        public var activity: String
    }

    /// The result files named in `journal`'s method, hypothesis and rollback records, first mention first,
    /// each once.
    /// - Parameters:
    ///   - journal: the parsed journal.
    ///   - directory: the journal's directory, against which relative names are resolved.
    public static func find(in journal: JSON, directory: String) -> [Found] {
        var records: [JSON] = []
        let states = journal["steady_states"] ?? .null
        for key in ["before", "after"] { records += states[key]?["probes"]?.array ?? [] }
        for s in states["during"]?.array ?? [] { records += s["probes"]?.array ?? [] }
        records += journal["run"]?.array ?? []
        records += journal["rollbacks"]?.array ?? []
        var out: [Found] = []
        for record in records {
            let activity = record["activity"] ?? .null
            let provider = activity["provider"] ?? .null
            guard provider["type"]?.string == "process", let path = provider["path"]?.string else { continue }
            for name in outputs(path: path, arguments: arguments(provider)) {
                let resolved = name.hasPrefix("/") ? name : (directory.isEmpty ? name : directory + "/" + name)
                if !out.contains(where: { $0.path == resolved }) {
                    let activityName = JournalActivity.cut(activity["name"]?.string ?? "", JournalActivity.nameLimit)
                    out.append(Found(named: name, path: resolved, activity: activityName))
                }
            }
        }
        return out
    }

    /// A process provider's arguments as words: a list as given, a string split like a shell (Python's `shlex`).
    static func arguments(_ provider: JSON) -> [String] {
        switch provider["arguments"] ?? .null {
        case .array(let items): return items.map(\.pythonString)
        case .string(let s): return words(s)
        case .null: return []
        case let other: return [other.pythonString]
        }
    }

    /// The output files of the attacks in one command: `path` with `arguments`, or a shell script they hold.
    static func outputs(path: String, arguments: [String]) -> [String] {
        if isAttacker(path) { return attackOutputs([path] + arguments) }
        let shells = ["sh", "bash", "dash", "zsh", "ash", "ksh"]
        let base = path.split(separator: "/").last.map(String.init) ?? path
        if shells.contains(base), let c = arguments.firstIndex(of: "-c"), c + 1 < arguments.count {
            return attackOutputs(words(arguments[c + 1]))
        }
        return []
    }

    static func isAttacker(_ word: String) -> Bool {
        word.hasSuffix("vegeta") || word.hasSuffix("barrage")
    }

    /// Scans words for `<vegeta|barrage> attack … -output[=] FILE`, `… > FILE` or `… | tee FILE`, up to the end of
    /// that command (what later commands of a pipeline write is theirs: `| vegeta report > r.txt` is a report).
    static func attackOutputs(_ words: [String]) -> [String] {
        var found: [String] = []
        var i = 0
        while i < words.count {
            guard isAttacker(words[i]), i + 1 < words.count, words[i + 1] == "attack" else {
                i += 1
                continue
            }
            var j = i + 2
            var output: String?
            while j < words.count, ![";", "&&", "||", "&"].contains(words[j]) {
                let w = words[j]
                if w == "|" {
                    // The attack's stdout goes down the pipe: `| tee FILE` keeps it; any other command's
                    // redirections are its own output (a report, a plot), not results.
                    if output == nil, j + 1 < words.count, words[j + 1] == "tee" {
                        var k = j + 2
                        while k < words.count, words[k].hasPrefix("-") { k += 1 }
                        if k < words.count, ![";", "&&", "||", "&", "|", ">", ">>"].contains(words[k]) {
                            output = words[k]
                        }
                    }
                    while j < words.count, ![";", "&&", "||", "&"].contains(words[j]) { j += 1 }
                    break
                }
                let bare = w.hasPrefix("--") ? String(w.dropFirst()) : w
                if bare.hasPrefix("-output=") {
                    output = output ?? String(bare.dropFirst("-output=".count))
                } else if bare == "-output", j + 1 < words.count {
                    output = output ?? words[j + 1]
                    j += 1
                } else if [">", ">>", "1>", "1>>", ">|"].contains(w), j + 1 < words.count {
                    output = output ?? words[j + 1]
                    j += 1
                } else if ["2>", "2>>", "<"].contains(w) {
                    j += 1
                }
                j += 1
            }
            if let output, output != "stdout", output != "-", !output.isEmpty, !found.contains(output) {
                found.append(output)
            }
            i = j
        }
        return found
    }

    /// Splits a command line like a POSIX shell's word splitting: quotes and backslashes; unquoted `;`, `|`, `&`,
    /// `<` and `>` runs become their own words (`2>` and `1>` keep their descriptor).
    static func words(_ line: String) -> [String] {
        var out: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var escape = false
        var quoted = false
        func flush() {
            if inWord { out.append(word) }
            word = ""
            inWord = false
            quoted = false
        }
        let operators: Set<Character> = [";", "|", "&", "<", ">"]
        for c in line {
            if escape {
                word.append(c)
                escape = false
                inWord = true
            } else if let q = quote {
                if c == q {
                    quote = nil
                } else if c == "\\" && q == "\"" {
                    escape = true
                } else {
                    word.append(c)
                }
            } else if c == "\\" {
                escape = true
            } else if c == "'" || c == "\"" {
                quote = c
                inWord = true
                quoted = true
            } else if c == " " || c == "\t" || c == "\n" {
                flush()
            } else if operators.contains(c) {
                if inWord, !quoted, c == ">", word == "1" || word == "2" {
                    word.append(c)
                    out.append(word)
                    word = ""
                    inWord = false
                } else if inWord, !quoted, word.allSatisfy(operators.contains) {
                    word.append(c)
                } else {
                    flush()
                    word = String(c)
                    inWord = true
                }
            } else {
                if inWord, !quoted, word.allSatisfy(operators.contains) { flush() }
                word.append(c)
                inWord = true
            }
        }
        flush()
        return out
    }
}
