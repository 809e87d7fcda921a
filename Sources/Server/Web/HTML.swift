import Reports

/// A fragment of HTML that escapes by default: text interpolated into it is escaped, and only
/// another `HTML` value goes in as markup. So a title holding `<script>` shows as text unless
/// someone writes `HTML(trusted:)`, which is kept to the few places that build markup from
/// markup (see WebPageTests, which fails on any other use).
struct HTML: Sendable, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
    private(set) var markup: String

    /// Markup written in svledger's own source (a literal), never data.
    init(stringLiteral literal: StaticString) { markup = literal.description }

    init(stringInterpolation: Interpolation) { markup = stringInterpolation.markup }

    /// Markup already built from escaped parts.
    init(trusted markup: String) { self.markup = markup }

    var description: String { markup }

    static let empty = HTML(trusted: "")

    struct Interpolation: StringInterpolationProtocol {
        var markup = ""

        init(literalCapacity: Int, interpolationCount: Int) { markup.reserveCapacity(literalCapacity + 16 * interpolationCount) }

        mutating func appendLiteral(_ literal: StaticString) { markup += literal.description }
        /// Text: escaped for an element's content and for a quoted attribute value alike.
        mutating func appendInterpolation(_ text: String) { markup += HTML.escape(text) }
        mutating func appendInterpolation(_ value: Int) { markup += String(value) }
        mutating func appendInterpolation(_ html: HTML) { markup += html.markup }
        mutating func appendInterpolation(_ parts: [HTML]) { for part in parts { markup += part.markup } }
    }

    /// Ledger text as character data: the same escaping as the Cabinet report's
    /// (`String.htmlEscaped`, which also escapes `/`).
    static func escape(_ text: String) -> String { text.htmlEscaped }
}

extension Array where Element == HTML {
    func joined() -> HTML { HTML(trusted: map(\.markup).joined()) }
}
