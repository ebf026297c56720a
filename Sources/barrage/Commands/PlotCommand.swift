import Encoder
import GoFlags
import Plotter

/// `barrage plot`: one self-contained HTML page of latencies over time (vegeta's `plot`).
enum PlotCommand {
    static let usage = """
        Usage: barrage plot [flags] [<file>...]

        Plots the latency of every result over time as a self-contained HTML page (no network needed to view it),
        with one series per attack name and OK/ERROR, drag-to-zoom, log or linear scale, legend toggles, a hover
        read-out, light and dark themes, PNG export, a summary table (requests, success, p50/p90/p99/max over every
        result) and a strip of requests per status class over time.

        Inputs are gob, JSON or CSV (detected per file, gzip undone), read round-robin; with none, standard input.
        The shards' files of one sharded attack (attack -shard) plot as that one attack; -by=file draws one series
        pair per input file instead (labelled with the file's name, "<attack> <file>" for a named attack), still in
        the attack's seq order and on its one time axis, so the shards can be compared side by side.
        Each series is downsampled to -threshold points with Largest-Triangle-Three-Buckets, streaming: memory does
        not grow with the number of results. A damaged input still gives a page of what was read, then exits 1.
        A record is checked as encode checks it and may be up to 64 MiB (one JSON line, CSV record, gob message).
        A regular -output file is replaced only once the page is complete; a device, FIFO or socket is written
        into, and a symlink's target is written (the link stays).

        Examples:
          echo "GET http://:80" | barrage attack -name=50qps -rate=50 -duration=5s > results.50qps.bin
          cat results.50qps.bin | barrage plot > plot.50qps.html
          echo "GET http://:80" | barrage attack -name=100qps -rate=100 -duration=5s > results.100qps.bin
          barrage plot results.50qps.bin results.100qps.bin > plot.html
        """

    static func run(_ arguments: [String]) async -> Int32 {
        let flags = GoFlagSet(name: "plot", header: usage)
        let title = flags.string("title", "Vegeta Plot", "Title and header of the resulting HTML page")
        let threshold = flags.int(
            "threshold", 4000, "Threshold of data points above which series are downsampled (0 keeps every point)")
        let output = flags.string("output", "stdout", "Output file")
        var byFile = false
        flags.define("by", default: "attack", usage: "barrage: one series pair per [attack, file] (file: per shard)") {
            (text) throws(FlagValueError) in
            guard text == "attack" || text == "file" else { throw FlagValueError(message: "not one of attack, file") }
            byFile = text == "file"
        }
        do throws(CommandExit) {
            let files = try ExitStatus.parse(flags, arguments)
            // The plot looks at these fields only; skipping bodies, URLs and headers saves most of the decoding.
            var reader = try ExitStatus.orFatal { () throws(DecodeError) in
                try ResultReader(paths: files, fields: Plot.fields)
            }
            var plot = Plot(
                title: title.value, threshold: Int(truncatingIfNeeded: threshold.value),
                inputNames: byFile ? (files.isEmpty ? ["stdin"] : files) : [])
            if byFile {
                while let stats = reader.nextStats() { plot.add(stats, input: reader.lastInput) }
            } else {
                while reader.nextStatsBatch({ plot.add($0) }) {}
            }
            let page = try ExitStatus.orFatal { () throws(PlotError) in try plot.page() }
            let path = output.value
            try ExitStatus.orFatal { () throws(EncodeError) in
                let out = try OutputFile.open(path)
                try page.writeHTML { (chunk) throws(EncodeError) in try out.write(chunk) }
                try out.close()
            }
            return ExitStatus.failures(reader.failures)
        } catch {
            return error.status
        }
    }
}
