import EventStore
import LedgerValues
import SocialValue

/// What kind of file some bytes are, read from the bytes themselves: a name or a header a
/// sender chose proves nothing. Only the kinds ``EvidenceFile/mediaTypes`` lists are known;
/// anything else is `nil` and is refused.
public enum EvidenceSniffing {
    public static func mediaType(of bytes: [UInt8]) -> String? {
        if bytes.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return officeDocument(bytes) }
        return isText(bytes) ? "text/csv" : nil
    }

    /// An XLSX or DOCX is a ZIP whose central directory names `[Content_Types].xml` and the
    /// workbook or the document; any other ZIP (a renamed archive) is not one.
    static func officeDocument(_ bytes: [UInt8]) -> String? {
        let names = zipEntryNames(bytes)
        guard names.contains("[Content_Types].xml") else { return nil }
        if names.contains("xl/workbook.xml") { return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }
        if names.contains("word/document.xml") { return "application/vnd.openxmlformats-officedocument.wordprocessingml.document" }
        return nil
    }

    /// The entry names of a ZIP's central directory, read without inflating anything (so a
    /// zip bomb costs nothing); empty when the directory cannot be found or read.
    static func zipEntryNames(_ bytes: [UInt8]) -> Set<String> {
        func u16(_ at: Int) -> Int? { at + 2 <= bytes.count ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : nil }
        func u32(_ at: Int) -> Int? {
            guard let low = u16(at), let high = u16(at + 2) else { return nil }
            return low | high << 16
        }
        // The end-of-central-directory record is in the last 22 bytes, or before a comment of
        // up to 65,535 bytes.
        let earliest = max(0, bytes.count - 22 - 65_535)
        var end = bytes.count - 22
        while end >= earliest, u32(end) != 0x0605_4B50 { end -= 1 }
        guard end >= earliest, let count = u16(end + 10), let offset = u32(end + 16) else { return [] }
        var names = Set<String>()
        var at = offset
        for _ in 0..<count {
            guard u32(at) == 0x0201_4B50, let nameLength = u16(at + 28), let extra = u16(at + 30), let comment = u16(at + 32),
                at + 46 + nameLength <= bytes.count
            else { return names }
            names.insert(String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self))
            at += 46 + nameLength + extra + comment
        }
        return names
    }

    /// CSV is text (valid UTF-8 with no control character but tab, carriage return and line
    /// feed) whose first line is a row of fields (it holds a comma, semicolon or tab), and
    /// which is not markup or JSON: text of any other kind is not a table.
    static func isText(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty, let text = String(validating: bytes, as: UTF8.self) else { return false }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" && $0 != "\r" && $0 != "\n" || $0.value == 0x7F }) else { return false }
        let start = text.drop { $0 == "\u{FEFF}" || $0.isWhitespace }
        guard let first = start.first, !"<{[".contains(first) else { return false }
        let header = start.prefix { $0 != "\n" && $0 != "\r" }
        return header.contains(",") || header.contains(";") || header.contains("\t")
    }
}

extension EvidenceFile {
    /// What a line records of the file `bytes`, given under `name`: their SHA-256, their size
    /// and the kind sniffed from them. Refuses bytes over the limit, of a kind svledger does not
    /// keep, or a name it cannot offer back as a download's (`evidence-file`).
    public static func describing(_ bytes: [UInt8], name: String) throws(DomainError) -> EvidenceFile {
        guard bytes.count <= maximumSize else {
            throw DomainError(.evidenceFile, "evidence file \(DisplayText.quoted(name)) is \(bytes.count) bytes; an evidence file is at most \(maximumSize) bytes (25 MiB)")
        }
        guard let mediaType = EvidenceSniffing.mediaType(of: bytes) else {
            throw DomainError(.evidenceFile, "evidence file \(DisplayText.quoted(name)) is not a PDF, PNG, JPEG, CSV, XLSX or DOCX file (judged by its bytes, not its name)")
        }
        if let problem = nameProblem(name) { throw DomainError(.evidenceFile, "evidence file name \(DisplayText.quoted(name)) \(problem)") }
        return EvidenceFile(sha256: EvidenceIntake.hex(EventStore.evidenceDigest(bytes)), size: bytes.count, mediaType: mediaType, name: name)
    }
}

extension EvidenceFile {
    /// `command` with each of its lines' evidence files that gives only its `name` completed
    /// from the file sent under that name (`files(name)`: the bytes, or nil when none was): its
    /// SHA-256, size and sniffed type. A file that gives its SHA-256 is left as it is, for the
    /// ledger to check against the bytes. Used where files come beside a command: a multipart
    /// request, `svledger apply --evidence-dir`.
    /// - Returns: the command, and the bytes of every file it names.
    public static func completing(_ command: JSONValue, files: (String) throws -> [UInt8]?) throws -> (command: JSONValue, bytes: [[UInt8]]) {
        guard case .object(var members) = command, case .array(var lines)? = members["lines"] else { return (command, []) }
        var bytes: [[UInt8]] = []
        for (index, line) in lines.enumerated() {
            guard case .object(var fields) = line, case .array(let listed)? = fields["evidenceFiles"] else { continue }
            fields["evidenceFiles"] = .array(try listed.enumerated().map { number, entry in
                guard let name = entry["name"]?.stringValue else {
                    throw DomainError(.evidenceFile, "\(field: "lines[\(index)].evidenceFiles[\(number)]") names no file: give its name as sent")
                }
                if let problem = nameProblem(name) {
                    throw DomainError(.evidenceFile, "\(field: "lines[\(index)].evidenceFiles[\(number)].name") \(DisplayText.quoted(name)) \(problem)")
                }
                guard let sent = try files(name) else {
                    // Named with its hash and not sent: the ledger must hold it already.
                    if entry["sha256"] != nil { return entry }
                    throw DomainError(.evidenceFile, "\(field: "lines[\(index)].evidenceFiles[\(number)].name") \(DisplayText.quoted(name)) is not among the files sent")
                }
                bytes.append(sent)
                return entry["sha256"] == nil ? try describing(sent, name: name).json : entry
            })
            lines[index] = .object(fields)
        }
        members["lines"] = .array(lines)
        return (.object(members), bytes)
    }
}
