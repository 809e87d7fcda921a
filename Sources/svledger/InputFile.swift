import Foundation
import LedgerValues

/// The one way svledger reads a file a user gives it (`apply`, `append --file`, `--lines`,
/// `policy adopt FILE`, `catalog publish FILE`, `import portal`): a leading UTF-8 byte-order
/// mark is dropped, text must be UTF-8, and no line or document is larger than its stated
/// limit (docs/rules.md, "Limits on text").
enum InputFile {
    /// The longest line of an NDJSON or CSV file: one command, one event or one row.
    static let maxLineBytes = 1 << 20
    /// The largest policy or catalog document.
    static let maxDocumentBytes = 4 << 20

    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The file's bytes, without a leading byte-order mark.
    static func bytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError(.notFound, "file-unreadable", "cannot read \(path)") }
        let bytes = [UInt8](data)
        return bytes.starts(with: byteOrderMark) ? Array(bytes.dropFirst(byteOrderMark.count)) : bytes
    }

    /// The file as UTF-8 text, without a leading byte-order mark, each line at most
    /// ``maxLineBytes`` long.
    static func text(_ path: String) throws -> String {
        let bytes = try bytes(path)
        if let long = firstLongLine(bytes) { throw tooLong("\(path) line \(long.number)", "the line", bytes: long.bytes, limit: maxLineBytes) }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw CLIError(.input, "not-utf8", "\(path) is not UTF-8 text") }
        return text
    }

    /// The first line longer than ``maxLineBytes``, if any (found with `memchr`: files can be large).
    static func firstLongLine(_ bytes: [UInt8]) -> (number: Int, bytes: Int)? {
        bytes.withUnsafeBytes { buffer -> (number: Int, bytes: Int)? in
            guard let base = buffer.baseAddress else { return nil }
            var number = 1
            var start = 0
            while start < buffer.count {
                let end = memchr(base + start, 0x0A, buffer.count - start).map { base.distance(to: UnsafeRawPointer($0)) } ?? buffer.count
                if end - start > maxLineBytes { return (number, end - start) }
                number += 1
                start = end + 1
            }
            return nil
        }
    }

    /// A JSON document (a policy or a catalog), at most ``maxDocumentBytes`` long.
    static func document(_ path: String) throws -> JSONValue {
        let bytes = try bytes(path)
        if bytes.count > maxDocumentBytes { throw tooLong(path, "the document", bytes: bytes.count, limit: maxDocumentBytes) }
        do { return try JSONValue(parsing: bytes) } catch { throw error.inContext(path) }
    }

    /// The lines of an NDJSON file that hold something, numbered from 1 as an editor counts
    /// them: blank lines and `//` comment lines are skipped, spaces and a CR around each trimmed.
    static func records(_ path: String) throws -> [(number: Int, text: String)] {
        let text = try text(path)
        var records: [(number: Int, text: String)] = []
        for (index, line) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = String(String.UnicodeScalarView(line)).trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty || trimmed.hasPrefix("//") { continue }
            records.append((index + 1, trimmed))
        }
        return records
    }

    static func tooLong(_ context: String, _ what: String, bytes: Int, limit: Int) -> any CategorizedError {
        CLIError(.input, "input-too-long", "\(what) is \(bytes) bytes long; the limit is \(limit) bytes")
            .inContext(context)
    }
}
