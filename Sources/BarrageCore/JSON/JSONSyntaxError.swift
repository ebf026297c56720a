/// Why a text is not JSON, and where: the reason, the byte offset, and the 1-based line and column.
///
/// Two callers word the same reasons differently, and users see both: experiment loading words them as Python's
/// `json` module does (`expecting ',' delimiter`), json target loading as vegeta's lexer does (`syntax error`).
/// `text(_:)` gives either.
package struct JSONSyntaxError: Error, Sendable, Equatable {
    /// What the parser met.
    package enum Reason: Sendable, Equatable {
        /// The text ended where `Expected` was due.
        case unexpectedEnd(Expected)
        /// Something that starts no JSON value.
        case expectedValue
        /// An object member that does not start with a string.
        case expectedKey
        /// A member name without its `:`.
        case expectedColon
        /// Something other than `,` or the closing bracket after an item.
        case expectedDelimiter(Container)
        /// More than whitespace after the value.
        case trailingData
        /// Containers nested deeper than the options allow.
        case tooDeep
        /// A number missing its digits in that part.
        case expectedDigit(NumberPart)
        /// A number that does not convert.
        case invalidNumber(String)
        /// A string without its closing quote.
        case unterminatedString
        /// A raw control character inside a string.
        case controlCharacter
        /// A backslash followed by a letter JSON does not know.
        case invalidEscape
        /// `\u` not followed by four hexadecimal digits.
        case invalidUnicodeEscape
    }

    /// What was due when the text ended.
    package enum Expected: Sendable, Equatable { case value, arrayDelimiter, objectDelimiter }
    /// Which kind of container.
    package enum Container: Sendable, Equatable { case array, object }
    /// Which part of a number.
    package enum NumberPart: Sendable, Equatable { case integer, fraction, exponent }

    /// How a reason is worded.
    package enum Wording: Sendable {
        /// Python's `json` module, as experiment and journal loading report it (`expecting a value`).
        case python
        /// vegeta's json target lexer (`syntax error`, `unexpected end of input`).
        case go
    }

    /// What the parser met.
    package var reason: Reason
    /// The byte offset where the text stops being JSON.
    package var offset: Int
    /// The 1-based line of `offset`.
    package var line: Int
    /// The 1-based column of `offset`, counting characters (UTF-8 lead bytes).
    package var column: Int

    /// Places `reason` at `offset` in `bytes`.
    ///
    /// - Parameters:
    ///   - reason: what the parser met.
    ///   - offset: the byte the target loader's message names.
    ///   - bytes: the text.
    ///   - lineAndColumnAt: the byte `line` and `column` name, when it differs from `offset` (a bad `\u` escape:
    ///     experiment loading points at its digits, target loading at the first bad one).
    package init(_ reason: Reason, at offset: Int, in bytes: [UInt8], lineAndColumnAt place: Int? = nil) {
        self.reason = reason
        self.offset = offset
        line = 1
        column = 1
        for b in bytes[0..<min(place ?? offset, bytes.count)] {
            if b == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
        }
    }

    /// The reason in words, without the position.
    ///
    /// - Parameter wording: whose words.
    /// - Returns: the text.
    package func text(_ wording: Wording) -> String {
        switch wording {
        case .python: pythonText
        case .go: goText
        }
    }

    private var pythonText: String {
        switch reason {
        case .unexpectedEnd(.value): "unexpected end of data, expecting a value"
        case .unexpectedEnd(.arrayDelimiter): "unexpected end of data, expecting ',' or ']'"
        case .unexpectedEnd(.objectDelimiter): "unexpected end of data, expecting ',' or '}'"
        case .expectedValue: "expecting a value"
        case .expectedKey: "expecting property name enclosed in double quotes"
        case .expectedColon: "expecting ':' delimiter"
        case .expectedDelimiter: "expecting ',' delimiter"
        case .trailingData: "extra data after the JSON value"
        case .tooDeep: "nesting too deep"
        case .expectedDigit(.integer): "expecting a digit"
        case .expectedDigit(.fraction): "expecting a digit after the decimal point"
        case .expectedDigit(.exponent): "expecting a digit in the exponent"
        case .invalidNumber(let text): "invalid number \(text)"
        case .unterminatedString: "unterminated string"
        case .controlCharacter: "invalid control character in string"
        case .invalidEscape: "invalid escape"
        case .invalidUnicodeEscape: "invalid \\u escape"
        }
    }

    private var goText: String {
        switch reason {
        case .unexpectedEnd: "unexpected end of input"
        case .expectedValue, .expectedDigit, .invalidNumber: "syntax error"
        case .expectedKey: "expected a string key"
        case .expectedColon: "expected ':'"
        case .expectedDelimiter(.array): "expected ',' or ']'"
        case .expectedDelimiter(.object): "expected ',' or '}'"
        case .trailingData: "unexpected data after the object"
        case .tooDeep: "nesting too deep"
        case .unterminatedString: "unterminated string"
        case .controlCharacter: "control character in string"
        case .invalidEscape: "bad escape"
        case .invalidUnicodeEscape: "bad \\u escape"
        }
    }
}
