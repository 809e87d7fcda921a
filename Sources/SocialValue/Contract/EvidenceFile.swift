import LedgerValues

/// A file a return line cites as its evidence (a payslip, a timesheet, a photograph), as the
/// event records it: the SHA-256 of its bytes, its size, its media type and its name. The bytes
/// themselves are kept beside the chain, by that hash, never inside the chained event, so that
/// they can be erased (personal data) while the event, and the hash that says what the file
/// was, stay (docs/evidence.md).
public struct EvidenceFile: Sendable, Hashable {
    /// The SHA-256 of the bytes, 64 lowercase hex digits.
    public let sha256: String
    public let size: Int
    /// One of ``mediaTypes``, as sniffed from the bytes (never taken from the name).
    public let mediaType: String
    /// The name it was given, without any directory.
    public let name: String

    public init(sha256: String, size: Int, mediaType: String, name: String) {
        self.sha256 = sha256
        self.size = size
        self.mediaType = mediaType
        self.name = name
    }

    /// 25 MiB: a scanned payslip or a month of timesheets, with room; more is refused.
    public static let maximumSize = 25 * 1024 * 1024

    /// The most files one line may carry: enough for a quarter's payslips scanned a month a file
    /// with their timesheets, few enough that a command cannot make the writer check thousands.
    public static let perLine = 12

    /// What a return's evidence may be: PDF, PNG and JPEG images, CSV, XLSX and DOCX.
    public static let mediaTypes: [String] = [
        "application/pdf", "image/png", "image/jpeg", "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]

    init(_ reader: FieldReader) throws(InputError) {
        try reader.onlyFields(["sha256", "size", "mediaType", "name"])
        let size = try reader.integer("size")
        guard size >= 0 else { throw reader.fail("size", "must not be negative") }
        self.init(sha256: try reader.string("sha256"), size: size, mediaType: try reader.string("mediaType"), name: try reader.string("name"))
    }

    public var json: JSONValue {
        ["sha256": .string(sha256), "size": .integer(Int64(size)), "mediaType": .string(mediaType), "name": .string(name)]
    }

    static func list(_ key: String, _ reader: FieldReader) throws(InputError) -> [EvidenceFile] {
        guard reader.has(key) else { return [] }
        return try reader.objects(key) { file throws(InputError) in try EvidenceFile(file) }
    }

    /// Refuses a file the ledger could not keep as cited: a hash that is not a SHA-256, a size
    /// over ``maximumSize``, a media type not in ``mediaTypes``, a name that is empty, too long,
    /// or holds a directory separator or a control character (`evidence-file`).
    func check(field: String) throws(DomainError) {
        guard Self.isSHA256(sha256) else {
            throw DomainError(.evidenceFile, "\(field: "\(field).sha256") is not a SHA-256 (64 lowercase hex digits)")
        }
        guard size <= Self.maximumSize else {
            throw DomainError(.evidenceFile, "\(field: "\(field).size") \(name) is \(size) bytes; an evidence file is at most \(Self.maximumSize) bytes (25 MiB)")
        }
        guard Self.mediaTypes.contains(mediaType) else {
            throw DomainError(.evidenceFile, "\(field: "\(field).mediaType") \(DisplayText.quoted(mediaType)) is not a kind of evidence svledger keeps (PDF, PNG, JPEG, CSV, XLSX or DOCX)")
        }
        if let problem = Self.nameProblem(name) {
            throw DomainError(.evidenceFile, "\(field: "\(field).name") \(DisplayText.quoted(name)) \(problem)")
        }
    }

    /// Whether `text` is a SHA-256 as the ledger writes one: 64 lowercase hex digits.
    public static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    /// Why `name` cannot be an evidence file's name, or `nil`: a name is shown and offered as
    /// a download's file name, so it may not reach outside a folder or hide control characters.
    public static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name.unicodeScalars.count > TextRules.nameLimit { return "is longer than \(TextRules.nameLimit) characters" }
        if name == "." || name == ".." { return "is not a file name" }
        if name.contains("/") || name.contains("\\") { return "holds a directory separator; give the file's name alone" }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }) {
            return "holds a control character"
        }
        return nil
    }
}

/// The bytes of an evidence file erased (they held personal data, say): the event that cited
/// the file keeps its hash, name and size, and verify reports the file "erased by event N".
public struct EvidenceErasure: Sendable, Equatable {
    public let sha256: String

    init(sha256: String) { self.sha256 = sha256 }

    init(_ reader: FieldReader) throws(InputError) {
        self.init(sha256: try reader.string("sha256"))
    }

    var json: JSONValue { ["sha256": .string(sha256)] }
}

extension ContractEvent {
    /// Whether the event erases an evidence file's bytes.
    public var isErasure: Bool {
        if case .evidenceErased = self { return true }
        return false
    }

    /// The evidence files the event cites: those of a return's or a correction's lines.
    public var evidenceFiles: [EvidenceFile] {
        switch self {
        case .deliveryReported(let report): report.lines.flatMap(\.evidenceFiles)
        case .deliveryCorrected(let correction): correction.lines.flatMap(\.evidenceFiles)
        default: []
        }
    }
}
