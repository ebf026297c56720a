import BarrageCore
import Encoder

/// `barrage encode`: converts result streams between gob, JSON and CSV (vegeta's `encode`).
enum EncodeCommand {
    static let usage = """
        Usage: barrage encode [flags] [<file>...]

        Encodes vegeta results (gob, JSON or CSV, detected per file; gzip undone) into another encoding.
        Files are read round-robin; with none, standard input is read. Several files may differ in format.
        An -output name ending in .gz is written gzip-compressed (vegeta has neither gzip feature).

        A damaged input keeps every complete record before the damage, then exits 1 naming the file and
        byte offset (gob) or line (JSON, CSV). Unlike vegeta, a last JSON line without a newline is kept.

        Encodings:
          gob   vegeta's binary format (what attack writes)
          json  one JSON object per line
          csv   timestamp,code,latency,bytes_out,bytes_in,error,body(base64),attack,seq,method,url,headers(base64)
        """

    static func run(_ arguments: [String]) async -> Int32 {
        let flags = GoFlagSet(name: "encode", header: usage)
        let to = flags.string("to", "json", "Output encoding [csv, gob, json]")
        let output = flags.string("output", "stdout", "Output file")
        let files: [String]
        do {
            files = try flags.parse(arguments)
        } catch {
            return ExitStatus.flagFailure(error, flags)
        }
        guard let format = ResultFormat(rawValue: to.value) else {
            Output.stderr("encode: unknown encoding \(goQuote(to.value))\n")
            return 2
        }
        let out: OutputFile
        do {
            out = try OutputFile.open(output.value)
        } catch {
            return ExitStatus.fatal(error.description)
        }
        var reader: ResultReader
        do {
            reader = try ResultReader(paths: files)
        } catch {
            try? out.close()
            return ExitStatus.fatal(error.description)
        }
        let failures: [DecodeError]
        do {
            failures = try Conversion.run(&reader, to: format, out: out)
            try out.close()
        } catch {
            return ExitStatus.fatal(error.description)
        }
        for failure in failures {
            _ = ExitStatus.fatal(failure.description)
        }
        return failures.isEmpty ? 0 : 1
    }
}
