/// A message that may name input fields, with each name kept as a field path instead of text,
/// so that every front end says it its own way: the JSON name in an `apply` file and over HTTP,
/// the flag on the command line (`--value` for `estimatedWholeLifeValueGBP`). Nothing rewrites
/// a message's text afterwards.
///
///     let wording: Wording = "\(field: "endDate") \(end) is before \(field: "startDate") \(start)"
public struct Wording: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public enum Part: Sendable, Hashable {
        case text(String)
        /// A field's JSON path (`lines[0].quantity`).
        case field(String)
        /// A field the message is about without naming it in its text ("NT1 was already
        /// returned for 2025-26-Q1" is about the quarter): a form shows the message beside it.
        case concerns(String)
    }

    public private(set) var parts: [Part]

    public init(_ text: String) { parts = [.text(text)] }
    public init(stringLiteral value: String) { self.init(value) }
    public init(stringInterpolation: Interpolation) { parts = stringInterpolation.parts }

    public struct Interpolation: StringInterpolationProtocol {
        var parts: [Part] = []
        public init(literalCapacity: Int, interpolationCount: Int) {}
        public mutating func appendLiteral(_ literal: String) { appendText(literal) }
        public mutating func appendInterpolation<T>(_ value: T) { appendText(String(describing: value)) }
        /// Names an input field by its JSON path.
        public mutating func appendInterpolation(field path: String) { parts.append(.field(path)) }
        /// Marks the field the message is about, saying nothing in its text.
        public mutating func appendInterpolation(concerning path: String) { parts.append(.concerns(path)) }
        /// Another wording, its fields kept as fields.
        public mutating func appendInterpolation(_ wording: Wording) { for part in wording.parts { append(part) } }

        mutating func appendText(_ text: String) { append(.text(text)) }

        mutating func append(_ part: Part) {
            if case .text(let next) = part, case .text(let last)? = parts.last {
                parts[parts.count - 1] = .text(last + next)
            } else if part != .text("") {
                parts.append(part)
            }
        }
    }

    /// The text with each field named by `name` (a flag, a JSON pointer…).
    public func rendered(naming name: (String) -> String) -> String {
        parts.map { part in
            switch part {
            case .text(let text): text
            case .field(let path): name(path)
            case .concerns: ""
            }
        }.joined()
    }

    /// The text with the fields' JSON names: how an `apply` file, the log and HTTP say it.
    public var description: String { rendered { $0 } }

    /// The fields it names or is about, in order.
    public var fields: [String] {
        parts.compactMap {
            switch $0 {
            case .field(let path), .concerns(let path): path
            case .text: nil
            }
        }
    }
}
