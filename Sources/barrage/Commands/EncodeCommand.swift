import BarrageCore
import Encoder
import GoFlags

/// `barrage encode`: converts result streams between gob, JSON and CSV (vegeta's `encode`).
enum EncodeCommand {
    static let usage = """
        Usage: barrage encode [flags] [<file>...]

        Encodes vegeta results (gob, JSON or CSV, detected per file; gzip undone) into another encoding.
        Files are read round-robin; with none, standard input is read. Several files may differ in format.
        An -output name ending in .gz is written gzip-compressed (vegeta has neither gzip feature). A regular
        -output file is rewritten in place as records arrive; a device, FIFO or socket (/dev/null, /dev/stdout)
        is written into, and a symlink's target is written (the link stays).

        A damaged input keeps every complete record before the damage, then exits 1 naming the file and
        byte offset (gob) or line (JSON, CSV). Unlike vegeta, a last JSON line without a newline is kept.
        Every reader checks a record the same way (report and plot stop where encode stops). One record (a JSON
        line, a CSV record, a gob message) may be up to 64 MiB; a longer one is an error naming where it starts.

        Encodings:
          gob   vegeta's binary format (what attack writes)
          json  one JSON object per line
          csv   timestamp,code,latency,bytes_out,bytes_in,error,body(base64),attack,seq,method,url,headers(base64)
        """

    static func run(_ arguments: [String]) async -> Int32 {
        let flags = GoFlagSet(name: "encode", header: usage)
        let to = flags.string("to", "json", "Output encoding [csv, gob, json]")
        let output = flags.string("output", "stdout", "Output file")
        do throws(CommandExit) {
            let files = try ExitStatus.parse(flags, arguments)
            guard let format = ResultFormat(rawValue: to.value) else {
                Output.stderr("encode: unknown encoding \(goQuote(to.value))\n")
                return 2
            }
            let path = output.value
            if format == .gob, let refusal = TerminalOutput.gobRefusal("encode", path: path) {
                return ExitStatus.fatal(refusal)
            }
            // In place: records are written as they arrive (a live pipe), so the file can be followed.
            let out = try ExitStatus.orFatal { () throws(EncodeError) in try OutputFile.open(path, inPlace: true) }
            var reader: ResultReader
            do {
                reader = try ResultReader(paths: files)
            } catch {
                try? out.close()
                return ExitStatus.fatal(error.description)
            }
            let failures = try ExitStatus.orFatal { () throws(EncodeError) in
                let failures = try Conversion.run(&reader, to: format, out: out)
                try out.close()
                return failures
            }
            return ExitStatus.failures(failures)
        } catch {
            return error.status
        }
    }
}
