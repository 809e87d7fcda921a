import Foundation

/// The fields of a form posted as `application/x-www-form-urlencoded`, the only way a page of
/// the web app sends anything (plain forms work with script turned off). A field named twice
/// keeps its first value; a field sent with nothing is the empty string.
struct WebForm: Sendable, Equatable {
    private(set) var fields: [String: String] = [:]

    /// The most a form may send: far more than any page's fields, far less than a body that
    /// would cost the server to read.
    static let limit = 64 * 1024

    init(_ fields: [String: String]) { self.fields = fields }

    /// - Returns: `nil` when the body is not form-encoded text (bad percent-encoding, not UTF-8).
    init?(body: [UInt8]) {
        guard let text = String(validating: body, as: UTF8.self) else { return nil }
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = Self.decode(parts.count == 2 ? parts[1] : "") else { return nil }
            if fields[name] == nil { fields[name] = value }
        }
    }

    subscript(name: String) -> String? { fields[name] }

    /// A field's value with spaces trimmed, empty when it was not sent.
    func text(_ name: String) -> String { (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }

    private static func decode(_ part: Substring) -> String? {
        String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
