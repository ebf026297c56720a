import BarrageCore

extension JSONPath {
    /// jsonpath2's grammar (an ANTLR grammar; every rule here is one of its rules), read by recursive descent with one
    /// token of look-ahead, which the grammar needs nowhere more.
    struct Parser {
        private let tokens: [(Token, Int)]
        private var k = 0

        init(_ text: String) throws(ParseError) {
            var lexer = Lexer(text)
            tokens = try lexer.tokens()
        }

        private var token: Token { tokens[k].0 }

        private func mismatch() -> ParseError {
            ParseError(column: tokens[k].1, message: "mismatched input '\(token.text)'")
        }

        private mutating func expect(_ t: Token) throws(ParseError) {
            guard token == t else { throw mismatch() }
            k += 1
        }

        /// `jsonpath: '$' subscript? EOF`
        mutating func parseDocumentPath() throws(ParseError) -> JSONPath {
            try expect(.dollar)
            let path = JSONPath(fromRoot: true, steps: try steps())
            try expect(.end)
            return path
        }

        /// `jsonpath_: ('$' | '@') subscript?`
        private mutating func innerPath() throws(ParseError) -> JSONPath {
            let fromRoot = token == .dollar
            k += 1
            return JSONPath(fromRoot: fromRoot, steps: try steps())
        }

        /// `subscript: '..' (bareword | subscriptables) subscript? | '.' bareword subscript? | subscriptables subscript?`
        private mutating func steps() throws(ParseError) -> [Step] {
            var out: [Step] = []
            while true {
                switch token {
                case .dotDot:
                    k += 1
                    out.append(.descendant(token == .bracketLeft ? try subscriptables() : [try bareword()]))
                case .dot:
                    k += 1
                    out.append(.child([try bareword()]))
                case .bracketLeft:
                    out.append(.child(try subscriptables()))
                default:
                    return out
                }
            }
        }

        /// `subscriptableBareword: ID subscriptableArguments? | '*'`
        private mutating func bareword() throws(ParseError) -> Subscript {
            switch token {
            case .star:
                k += 1
                return .wildcard
            case .id(let name):
                k += 1
                return token == .parenLeft ? try function(name) : .key(name)
            default:
                throw mismatch()
            }
        }

        /// `subscriptables: '[' subscriptable (',' subscriptable)* ']'`
        private mutating func subscriptables() throws(ParseError) -> [Subscript] {
            try expect(.bracketLeft)
            var out = [try subscriptable()]
            while token == .comma {
                k += 1
                out.append(try subscriptable())
            }
            try expect(.bracketRight)
            return out
        }

        /// `subscriptable: STRING | NUMBER sliceable? | sliceable | '*' | '?' '(' expression ')' | jsonpath_
        ///  | ID subscriptableArguments` (a NUMBER must be an integer).
        private mutating func subscriptable() throws(ParseError) -> Subscript {
            switch token {
            case .string(let s):
                k += 1
                return .key(s)
            case .number:
                let n = try integer()
                return token == .colon ? try slice(start: n) : .index(n)
            case .colon:
                return try slice(start: nil)
            case .star:
                k += 1
                return .wildcard
            case .question:
                k += 1
                try expect(.parenLeft)
                let e = try expression()
                try expect(.parenRight)
                return .filter(e)
            case .dollar, .at:
                return .node(try innerPath())
            case .id(let name):
                k += 1
                guard token == .parenLeft else { throw mismatch() }
                return try function(name)
            default:
                throw mismatch()
            }
        }

        /// A NUMBER token that Python's `int()` accepts (the grammar's `tryCast(int)` predicate); huge values saturate.
        private mutating func integer() throws(ParseError) -> Int {
            guard case .number(let text) = token else { throw mismatch() }
            guard !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) else {
                throw ParseError(
                    column: tokens[k].1, message: "rule subscriptable failed predicate: {self.tryCast(int)}?")
            }
            k += 1
            return Int(text) ?? (text.hasPrefix("-") ? Int.min : Int.max)
        }

        /// `sliceable: ':' NUMBER? (':' NUMBER?)?`
        private mutating func slice(start: Int?) throws(ParseError) -> Subscript {
            try expect(.colon)
            var end: Int?
            var step: Int?
            if case .number = token { end = try integer() }
            if token == .colon {
                k += 1
                if case .number = token { step = try integer() }
            }
            return .slice(start, end, step)
        }

        /// `ID subscriptableArguments`, `subscriptableArguments: '(' (jsonpath__ (',' jsonpath__)*)? ')'`; an unknown
        /// name is jsonpath2's "callable subscript 'x' not found".
        private mutating func function(_ name: String) throws(ParseError) -> Subscript {
            let column = tokens[k - 1].1
            try expect(.parenLeft)
            var arguments: [Operand] = []
            if token != .parenRight {
                arguments.append(try operand())
                while token == .comma {
                    k += 1
                    arguments.append(try operand())
                }
            }
            try expect(.parenRight)
            guard let f = Function(rawValue: name) else {
                throw ParseError(column: column, message: "callable subscript '\(name)' not found")
            }
            return .function(f, arguments)
        }

        /// `jsonpath__: jsonpath_ | value`
        private mutating func operand() throws(ParseError) -> Operand {
            token == .dollar || token == .at ? .path(try innerPath()) : .value(try value())
        }

        /// `expression: andExpression`, `andExpression: orExpression ('and' andExpression)?`
        private mutating func expression() throws(ParseError) -> Expression {
            var parts = [try orExpression()]
            while token == .and {
                k += 1
                parts.append(try orExpression())
            }
            return parts.count == 1 ? parts[0] : .and(parts)
        }

        /// `orExpression: notExpression ('or' orExpression)?`
        private mutating func orExpression() throws(ParseError) -> Expression {
            var parts = [try notExpression()]
            while token == .or {
                k += 1
                parts.append(try notExpression())
            }
            return parts.count == 1 ? parts[0] : .or(parts)
        }

        /// `notExpression: 'not' notExpression | '(' expression ')' | jsonpath__ (op jsonpath__)?`
        private mutating func notExpression() throws(ParseError) -> Expression {
            switch token {
            case .not:
                k += 1
                return .not(try notExpression())
            case .parenLeft:
                k += 1
                let e = try expression()
                try expect(.parenRight)
                return e
            default:
                let left = try operand()
                let ops: [Token: Comparison] = [.eq: .eq, .ne: .ne, .lt: .lt, .le: .le, .gt: .gt, .ge: .ge]
                guard let op = ops[token] else { return .some(left) }
                k += 1
                return .compare(op, left, try operand())
            }
        }

        /// `value: STRING | NUMBER | obj | array | 'true' | 'false' | 'null'` (strings as written, numbers with a
        /// `.` or an exponent as floats).
        private mutating func value() throws(ParseError) -> JSON {
            let t = token
            switch t {
            case .string(let s):
                k += 1
                return .string(s)
            case .number(let text):
                k += 1
                if text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return .double(Double(text) ?? 0) }
                return Int(text).map(JSON.int) ?? .double(Double(text) ?? 0)
            case .true, .false, .null:
                k += 1
                return t == .null ? .null : .bool(t == .true)
            case .braceLeft:
                return try object()
            case .bracketLeft:
                k += 1
                var items: [JSON] = []
                if token != .bracketRight {
                    items.append(try value())
                    while token == .comma {
                        k += 1
                        items.append(try value())
                    }
                }
                try expect(.bracketRight)
                return .array(items)
            default:
                throw mismatch()
            }
        }

        /// `obj: '{' pair (',' pair)* '}' | '{' '}'`, `pair: STRING ':' value`; a repeated key keeps its first place
        /// and its last value, as a Python dict built from the pairs does.
        private mutating func object() throws(ParseError) -> JSON {
            try expect(.braceLeft)
            var result = JSON.object([])
            if token != .braceRight {
                while true {
                    guard case .string(let key) = token else { throw mismatch() }
                    k += 1
                    try expect(.colon)
                    result[key] = try value()
                    guard token == .comma else { break }
                    k += 1
                }
            }
            try expect(.braceRight)
            return result
        }
    }
}
