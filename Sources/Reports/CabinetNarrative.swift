import Crypto
import Foundation
import LedgerValues

/// What the report's author writes for the Cabinet, beside the figures: the summary, the
/// recommendation, the commentary, the implications, the background papers, and remedial
/// commentary on each contract that needs it. The report prints it as text (never as markup)
/// and records the file's SHA-256, so that a reader can tell which text went with which figures.
///
/// The file is Markdown-like UTF-8 text (docs/domain.md, "The Cabinet report"):
///
///     # Anything after one "#" is a title, and is ignored
///     ## Recommendation
///     Cabinet is asked to note the social value delivered in the quarter.
///
///     ## Contract LCC-2025-041
///     - The supplier has agreed a recovery plan for apprenticeship weeks.
///
/// A `## ` line starts a part, named by one of ``Part``'s headings (compared ignoring case) or
/// `Contract REFERENCE`; each part may come once. Under it, blank lines separate paragraphs and a
/// line starting `- ` or `* ` is a list item. Nothing else is markup: `**`, `<b>` or a link stay
/// as typed. Text before the first part other than blank lines and `# ` titles, an unknown or
/// repeated heading, an empty part, a control character or a file over ``maxBytes`` is refused.
public struct CabinetNarrative: Sendable, Equatable {
    /// The parts the author may write; a part not written reads "None given." in the report.
    public enum Part: String, Sendable, CaseIterable {
        case summary, keyDecision, recommendation, commentary, consultations, risk, legal, financial, equality, backgroundPapers

        /// The heading that starts the part in the file, and heads it in the report.
        public var heading: String {
            switch self {
            case .summary: "Summary"
            case .keyDecision: "Key decision"
            case .recommendation: "Recommendation"
            case .commentary: "Commentary"
            case .consultations: "Consultations"
            case .risk: "Risk management"
            case .legal: "Legal"
            case .financial: "Financial"
            case .equality: "Equality"
            case .backgroundPapers: "Background papers"
            }
        }

        /// Other headings accepted for the part.
        var aliases: [String] {
            switch self {
            case .summary: ["Brief summary"]
            case .recommendation: ["Recommendations"]
            case .commentary: ["Detail"]
            case .risk: ["Risk"]
            case .equality: ["Equality and diversity", "Equality implications"]
            case .keyDecision: ["Key decision statement"]
            case .backgroundPapers: ["List of background papers"]
            default: []
            }
        }

        /// The key of the part in the CSV: `background_papers`.
        public var key: String {
            switch self {
            case .backgroundPapers: "background_papers"
            case .keyDecision: "key_decision"
            default: rawValue
            }
        }
    }

    /// A paragraph, or a list of items.
    public enum Block: Sendable, Equatable {
        case paragraph(String)
        case list([String])

        /// The block as plain text: a paragraph as it is, a list one "- item" per line.
        public var plainText: String {
            switch self {
            case .paragraph(let text): text
            case .list(let items): items.map { "- " + $0 }.joined(separator: "\n")
            }
        }
    }

    /// The largest narrative file read.
    public static let maxBytes = 256 * 1024

    public internal(set) var parts: [Part: [Block]]
    /// Remedial commentary by contract reference, and the references in the order written.
    public internal(set) var contracts: [String: [Block]]
    public let contractOrder: [String]
    /// The file's name as given (without its directory), for the report to cite.
    public let fileName: String
    /// `sha256:` and the 64 lowercase hex digits of the file's bytes, exactly as read.
    public let digest: String
    public let byteCount: Int

    /// The blocks of `part`, or `nil` when the author wrote none.
    public func blocks(_ part: Part) -> [Block]? { parts[part] }

    /// One background paper, as a council lists it: the paper, its date, and whom to ask.
    public struct BackgroundPaper: Sendable, Equatable {
        public let paper: String
        public let date: String?
        public let contact: String?
    }

    /// The background papers, one per list item or paragraph, each written
    /// `Paper | Date | Contact/Tel` (the date and contact may be left out).
    public var backgroundPapers: [BackgroundPaper] {
        (parts[.backgroundPapers] ?? []).flatMap { block -> [String] in
            switch block {
            case .paragraph(let text): [text]
            case .list(let items): items
            }
        }.map { entry in
            let cells = entry.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let given = { (index: Int) in cells.count > index && !cells[index].isEmpty ? cells[index] : nil }
            return BackgroundPaper(paper: cells[0], date: given(1), contact: cells.count > 2 ? cells[2...].joined(separator: " | ") : nil)
        }
    }

    /// Reads a narrative file's bytes (a leading byte-order mark is allowed and ignored).
    /// - Throws: ``CabinetReportError`` (`invalid-narrative`) naming the line at fault.
    public init(bytes: [UInt8], fileName: String) throws(CabinetReportError) {
        func fail(_ line: Int?, _ problem: String) -> CabinetReportError {
            CabinetReportError(.invalidNarrative, "\(fileName)\(line.map { " line \($0)" } ?? ""): \(problem)")
        }
        guard bytes.count <= Self.maxBytes else { throw fail(nil, "is \(bytes.count) bytes long; a narrative file is at most \(Self.maxBytes) bytes") }
        digest = "sha256:" + SHA256.hash(data: bytes).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        byteCount = bytes.count
        self.fileName = fileName
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        guard let text = String(validating: body, as: UTF8.self) else { throw fail(nil, "is not UTF-8 text") }

        var parts: [Part: [Block]] = [:], contracts: [String: [Block]] = [:], order: [String] = []
        var current: (part: Part?, contract: String?, line: Int)?
        var blocks: [Block] = [], paragraph: [String] = [], items: [String] = []
        func flush() {
            if !paragraph.isEmpty { blocks.append(.paragraph(paragraph.joined(separator: " "))); paragraph = [] }
            if !items.isEmpty { blocks.append(.list(items)); items = [] }
        }
        func close() throws(CabinetReportError) {
            flush()
            guard let open = current else { return }
            if blocks.isEmpty { throw fail(open.line, "the part \(DisplayText.quoted(open.contract.map { "Contract \($0)" } ?? open.part!.heading)) is empty") }
            if let part = open.part { parts[part] = blocks } else if let contract = open.contract { contracts[contract] = blocks }
            blocks = []
        }
        // "\r\n" is one Character in Swift: split on it as on "\n".
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if let bad = line.unicodeScalars.first(where: { ($0.value < 0x20 && $0 != "\t") || (0x7F...0x9F).contains($0.value) || Self.isBidiControl($0) }) {
                throw fail(number, "holds the control character U+\(String(bad.value, radix: 16, uppercase: true)); a narrative is plain text")
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("## ") || trimmed == "##" {
                try close()
                let heading = String(trimmed.dropFirst(2)).trimmingCharacters(in: .whitespaces)
                current = try Self.part(heading, line: number, fail: fail)
                if let part = current?.part, parts[part] != nil { throw fail(number, "the part \(DisplayText.quoted(part.heading)) is given twice") }
                if let contract = current?.contract {
                    if contracts[contract] != nil { throw fail(number, "the part \(DisplayText.quoted("Contract \(contract)")) is given twice") }
                    order.append(contract)
                }
                continue
            }
            if trimmed.isEmpty { flush(); continue }
            if current == nil {
                if trimmed.hasPrefix("# ") || trimmed == "#" { continue }
                throw fail(number, "text before the first \"## \" heading; start with a heading such as \"## Recommendation\"")
            }
            if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") {
                if !paragraph.isEmpty { flush() }
                items.append(String(trimmed.dropFirst(2)).trimmingCharacters(in: .whitespaces))
            } else if !items.isEmpty, line.hasPrefix("  ") {
                items[items.count - 1] += " " + trimmed  // a list item continued on an indented line
            } else {
                if !items.isEmpty { flush() }
                paragraph.append(trimmed)
            }
        }
        try close()
        self.parts = parts
        self.contracts = contracts
        contractOrder = order
    }

    /// The part a `## ` heading starts.
    private static func part(
        _ heading: String, line: Int, fail: (Int?, String) -> CabinetReportError
    ) throws(CabinetReportError) -> (part: Part?, contract: String?, line: Int) {
        let key = heading.lowercased()
        if let part = Part.allCases.first(where: { part in ([part.heading] + part.aliases).contains { $0.lowercased() == key } }) {
            return (part, nil, line)
        }
        let words = heading.split(separator: " ", maxSplits: 1).map(String.init)
        if words.count == 2, words[0].lowercased() == "contract" {
            return (nil, words[1].trimmingCharacters(in: .whitespaces), line)
        }
        throw fail(line, "\(DisplayText.quoted(heading)) is not a part of a narrative; the parts are \(Part.allCases.map(\.heading).joined(separator: ", ")) and Contract REFERENCE")
    }

    /// The Unicode bidirectional controls, which could make printed text read other than it is stored.
    static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value) || scalar.value == 0x200E || scalar.value == 0x200F
    }
}
