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
}
