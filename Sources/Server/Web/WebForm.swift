import Foundation
import MultipartKit

/// The fields of a form posted as `application/x-www-form-urlencoded`, or as
/// `multipart/form-data` when it sends a file (a pledge table): plain forms, which work with
/// script turned off. A field named twice keeps its first value; a field sent with nothing is
/// the empty string.
struct WebForm: Sendable, Equatable {
    private(set) var fields: [String: String] = [:]
    /// The files sent, by field name: the name the browser gave the file, and its bytes.
    private(set) var files: [String: File] = [:]
    /// Every file sent, in order, whatever its field's name (several may share one).
    private(set) var allFiles: [File] = []

    struct File: Sendable, Equatable {
        let filename: String
        let bytes: [UInt8]
    }

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

    /// A `multipart/form-data` body, parsed by MultipartKit: a part with a file name is a file,
    /// any other part a text field (which must be UTF-8).
    /// - Returns: `nil` when the body is not such a form.
    init?(multipart body: [UInt8], boundary: String) {
        let parser = MultipartParser(boundary: boundary)
        var parts: [MultipartPart] = []
        var part = MultipartPart(body: "")
        parser.onHeader = { name, value in part.headers.add(name: name, value: value) }
        parser.onBody = { bytes in part.body.writeBuffer(&bytes) }
        parser.onPartComplete = {
            parts.append(part)
            part = MultipartPart(body: "")
        }
        do { try parser.execute(body) } catch { return nil }
        guard !parts.isEmpty else { return nil }
        for part in parts {
            guard let name = part.name else { return nil }
            let bytes = Array(part.body.readableBytesView)
            if let filename = Self.filename(part.headers.first(name: "Content-Disposition") ?? "") {
                if files[name] == nil { files[name] = File(filename: filename, bytes: bytes) }
                allFiles.append(File(filename: filename, bytes: bytes))
            } else {
                guard let value = String(validating: bytes, as: UTF8.self) else { return nil }
                if fields[name] == nil { fields[name] = value }
            }
        }
    }

    /// The boundary of a `multipart/form-data` content type, or `nil` for any other type.
    static func multipartBoundary(_ contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let boundary = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return boundary.isEmpty ? nil : boundary
            }
        }
        return nil
    }

    /// The `filename` parameter of a part's `Content-Disposition`, if it has one.
    private static func filename(_ disposition: String) -> String? {
        for parameter in disposition.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "filename" { return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }

    subscript(name: String) -> String? { fields[name] }

    /// A field's value with spaces trimmed, empty when it was not sent.
    func text(_ name: String) -> String { (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }

    private static func decode(_ part: Substring) -> String? {
        String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
