/// A value with one text form it can always be read back from. Such values encode as that
/// text, so that read models stored as JSON stay readable and exact (no JSON numbers).
public protocol TextCodable: Codable, CustomStringConvertible {
    /// The value the text form `text` denotes, or `nil`.
    static func parseText(_ text: String) -> Self?
}

extension TextCodable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self.parseText(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a \(Self.self): \(text)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension CalendarDate: TextCodable {
    public static func parseText(_ text: String) -> CalendarDate? { CalendarDate(text) }
}

extension EventID: TextCodable {
    public static func parseText(_ text: String) -> EventID? { EventID(text) }
}
