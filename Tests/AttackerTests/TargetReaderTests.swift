import Attacker
import TestSupport
import Testing

@Suite("Targets")
struct TargetReaderTests {
    static let fixtures = Paths.directory(of: #filePath) + "/Fixtures"

    func read(_ text: String, _ format: TargetFormat = .http, _ defaults: TargetDefaults = TargetDefaults())
        throws(TargetError) -> [Target]
    {
        var reader = TargetReader(bytes: Array(text.utf8), name: "t.txt", format: format, defaults: defaults)
        return try reader.readAll()
    }

    @Test("http: comments, headers, body file, targets without a blank line between them")
    func httpFormat() throws {
        let text = """
            # comment

            GET http://127.0.0.1:8080/a?x=1
            X-Header: value
            lower-case-key: kept as is
            X-Header: second
            @\(Self.fixtures)/body.txt

            POST http://127.0.0.1/other
            Content-Type: application/json

            HEAD http://127.0.0.1/h
            DELETE http://127.0.0.1/d
            """
        let targets = try read(text)
        #expect(targets.count == 4)
        #expect(targets[0].method == "GET")
        #expect(targets[0].url == "http://127.0.0.1:8080/a?x=1")
        #expect(
            targets[0].headers == [
                TargetHeader(name: "X-Header", values: ["value", "second"]),
                TargetHeader(name: "lower-case-key", values: ["kept as is"]),
            ])
        #expect(targets[0].body == Array("Punch!".utf8))
        #expect(targets[1].headers == [TargetHeader(name: "Content-Type", values: ["application/json"])])
        #expect(targets[2].method == "HEAD" && targets[3].method == "DELETE")
    }

    @Test("http: a request line right after a header line is read as a header")
    func headerNeedsBlankLine() throws {
        let text = "GET http://h/a\nX-A: 1\nGET http://h/b\n"
        // vegeta reads it so, then Go refuses to send the header name: with Go's rules on it is a load error.
        #expect(throws: TargetError(#"net/http: invalid header field name "GET http""#, source: "t.txt", line: 1)) {
            try read(text)
        }
        var reader = TargetReader(bytes: Array(text.utf8), name: "t.txt", format: .http)
        reader.checksRequests = false
        let targets = try reader.readAll()
        #expect(targets.count == 1)
        #expect(
            targets[0].headers == [
                TargetHeader(name: "X-A", values: ["1"]), TargetHeader(name: "GET http", values: ["//h/b"]),
            ])
    }

    @Test(
        "http: errors carry vegeta's text and the line number",
        arguments: [
            ("get http://h/", "bad method: get (t.txt line 1)"),
            ("\n\nGET", "bad target: GET (t.txt line 3)"),
            ("GET ::nope", "bad URL: ::nope (t.txt line 1)"),
            ("GET relative/path", "bad URL: relative/path (t.txt line 1)"),
            ("GET http://h/\nX-A:\n", "bad header: X-A: (t.txt line 2)"),
            ("GET http://h/\nNoColon\n", "bad header: NoColon (t.txt line 2)"),
            ("GET http://h/\n: v\n", "bad header: : v (t.txt line 2)"),
            (
                "GET http://h/\n@/nonexistent/body\n",
                "bad body: open /nonexistent/body: no such file or directory (t.txt line 2)"
            ),
            ("# only comments\n\n", "no targets to attack"),
        ])
    func httpErrors(input: String, message: String) {
        #expect(throws: TargetError.self) { try read(input) }
        do {
            _ = try read(input)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("-header values come first, -body is replaced by @file, kept otherwise")
    func precedence() throws {
        let defaults = TargetDefaults(
            headers: [TargetHeader(name: "X-Foo", values: ["fromflag"])], body: Array("dflt".utf8))
        let targets = try read(
            "GET http://h/a\nX-Foo: 1\n@\(Self.fixtures)/body.txt\n\nGET http://h/b\n", .http, defaults)
        #expect(targets[0].headers == [TargetHeader(name: "X-Foo", values: ["fromflag", "1"])])
        #expect(targets[0].body == Array("Punch!".utf8))
        #expect(targets[1].body == Array("dflt".utf8))
        #expect(targets[1].headers == [TargetHeader(name: "X-Foo", values: ["fromflag"])])
    }

    @Test("json: base64 body, header arrays, unknown keys skipped, blank lines skipped")
    func jsonFormat() throws {
        let text = """
            {"method":"POST","url":"http://h/j1","body":"UHVuY2gh","header":{"Content-Type":["text/plain"],"X-Multi":["a","b"]},"extra":{"x":[1,2.5e3,true,null]}}

            {"method":"GET","url":"http://h/j2"}
            """
        let defaults = TargetDefaults(headers: [TargetHeader(name: "X-Multi", values: ["z"])], body: Array("d".utf8))
        let targets = try read(text, .json, defaults)
        #expect(targets.count == 2)
        #expect(targets[0].body == Array("Punch!".utf8))
        #expect(
            targets[0].headers == [
                TargetHeader(name: "X-Multi", values: ["z", "a", "b"]),
                TargetHeader(name: "Content-Type", values: ["text/plain"]),
            ])
        #expect(targets[1].body == Array("d".utf8))
    }

    @Test(
        "json: errors",
        arguments: [
            (#"{"url":"http://h/"}"#, "target: required method is missing (t.txt line 1)"),
            (#"{"method":"","url":"http://h/"}"#, "target: required method is missing (t.txt line 1)"),
            (#"{"method":"GET"}"#, "target: required url is missing (t.txt line 1)"),
            (
                #"{"method":"GET","url":"http://h/","body":"UHVuY2g"}"#,
                "illegal base64 data at input byte 4 (t.txt line 1)"
            ),
            (
                #"{"method":"GET","url":"http://h/","body":"U*=="}"#,
                "illegal base64 data at input byte 1 (t.txt line 1)"
            ),
            ("\n{\"method\":", "parse error: unexpected end of input near offset 10 (t.txt line 2)"),
        ])
    func jsonErrors(input: String, message: String) {
        do {
            _ = try read(input, .json)
            Issue.record("no error for \(input)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("lazy reading returns targets one by one from a file, then nil")
    func lazyFromFile() throws {
        var reader = try TargetReader(path: Self.fixtures + "/../../../targets/example.http", format: .http)
        defer { reader.close() }
        var count = 0
        while try reader.next() != nil { count += 1 }
        #expect(count == 3)
    }

    @Test("a missing targets file names the file")
    func missingFile() {
        #expect(throws: TargetError("open /no/such: no such file or directory", source: "/no/such", line: 0)) {
            _ = try TargetReader(path: "/no/such", format: .http)
        }
    }
}
