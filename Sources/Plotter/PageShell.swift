/// The pieces every barrage HTML page shares: the document head with the common stylesheet, and the chart kit
/// script (`Page/base.css`, `Page/chart.js`), so the plot page and the chaos report draw with one copy of the code.
package enum PageShell {
    /// Writes `<!DOCTYPE html>` through `</head>`: charset, viewport, the escaped title, then `base.css` followed
    /// by `css` (the page's own rules) in one `<style>` element.
    /// - Parameters:
    ///   - w: the writer the page goes to.
    ///   - title: the page title (HTML-escaped here).
    ///   - css: the page's own stylesheet, appended after the shared one.
    package static func head(_ w: inout ByteWriter, title: String, css: [UInt8]) {
        w.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        w.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
        w.html(title)
        w.raw("</title>\n<style>\n")
        w.raw(PackageResources.base_css)
        w.raw(css)
        w.raw("</style>\n</head>\n")
    }

    /// A button of the page header: its id, its text, an optional tooltip and an optional pressed state.
    package struct Button {
        var id: StaticString
        var label: StaticString
        var title: StaticString?
        var pressed: Bool?

        package init(_ id: StaticString, _ label: StaticString, title: StaticString? = nil, pressed: Bool? = nil) {
            self.id = id
            self.label = label
            self.title = title
            self.pressed = pressed
        }
    }

    /// Writes `<body>` and the header: the escaped title as `<h1>` and the control buttons.
    package static func header(_ w: inout ByteWriter, title: String, buttons: [Button]) {
        w.raw("<body>\n<header>\n<h1>")
        w.html(title)
        w.raw("</h1>\n<nav class=\"controls\">\n")
        for b in buttons {
            w.raw("<button type=\"button\" id=\"")
            w.raw(b.id)
            w.raw("\"")
            if let t = b.title {
                w.raw(" title=\"")
                w.raw(t)
                w.raw("\"")
            }
            if let p = b.pressed { w.raw(p ? " aria-pressed=\"true\"" : " aria-pressed=\"false\"") }
            w.raw(">")
            w.raw(b.label)
            w.raw("</button>\n")
        }
        w.raw("</nav>\n</header>\n")
    }

    /// Writes `<script>` with the chart kit (`barrageChart`) and then `js` (the page's own script), and closes
    /// the document.
    /// - Parameters:
    ///   - w: the writer the page goes to.
    ///   - js: the page's script, which uses `barrageChart`.
    package static func scriptAndEnd(_ w: inout ByteWriter, js: [UInt8]) {
        w.raw("<script>\n")
        w.raw(PackageResources.chart_js)
        w.raw(js)
        w.raw("</script>\n</body>\n</html>\n")
    }

    /// Writes the page's data as `<script id="<id>" type="application/json">` (through `data`, which may flush),
    /// then the scripts and the end of the document, and hands everything left to `sink`.
    /// - Parameters:
    ///   - w: the page writer.
    ///   - id: the data element's id (the page's script reads it).
    ///   - js: the page's script.
    ///   - sink: receives the chunks.
    ///   - data: writes the JSON.
    /// - Throws: whatever `sink` throws.
    package static func finish<E: Error>(
        _ w: inout ByteWriter, dataID id: StaticString, js: [UInt8], _ sink: ([UInt8]) throws(E) -> Void,
        data: (inout ByteWriter) throws(E) -> Void
    ) throws(E) {
        w.raw("<script id=\"")
        w.raw(id)
        w.raw("\" type=\"application/json\">")
        try w.flush(to: sink)
        try data(&w)
        w.raw("</script>\n")
        scriptAndEnd(&w, js: js)
        try w.flush(ifOver: 0, to: sink)
    }

    /// A whole page as bytes, from a chunked page writer.
    package static func collect(_ write: (([UInt8]) throws(Never) -> Void) -> Void) -> [UInt8] {
        var out: [UInt8] = []
        write { (chunk) throws(Never) in out.append(contentsOf: chunk) }
        return out
    }
}
