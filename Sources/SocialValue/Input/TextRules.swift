import LedgerValues

/// The rules for text in commands and reference documents (docs/rules.md, "Identifiers" and
/// "Limits on text"): how long each kind of text may be, and which characters an identifier
/// may hold. Lengths are counted in characters (Unicode code points), so that combining marks
/// cannot hide length.
public enum TextRules {
    /// Contract ids, measure codes, policy and catalog ids and versions.
    public static let identifierLimit = 64
    /// Titles, names, roles, departments, areas, units, themes, evidence and business-case references.
    public static let nameLimit = 200
    /// Reasons, override reasons, descriptions, sources and notes, and any other text in a policy
    /// or catalog document.
    public static let noteLimit = 2_000

    /// What an identifier names: each kind has the same core character set, with one addition
    /// for the ids that need it.
    public enum IdentifierKind: Sendable {
        /// A contract id: `/` is allowed too (`LCC/2025/014`).
        case contract
        /// A measure code: a single space between two other characters is allowed too (`CBC5 RBC1`
        /// in the Social Value Portal's table).
        case measure
        /// A policy or catalog id: the core set only.
        case reference
        /// A policy or catalog version: `+` is allowed too (`003.1+import-1a2b3c4d`, the version
        /// an import with `--add-measures` publishes).
        case version

        var name: String {
            switch self {
            case .contract: "a contract id"
            case .measure: "a measure code"
            case .reference: "a policy or catalog id"
            case .version: "a policy or catalog version"
            }
        }
    }

    /// Why `value` is not an identifier of `kind`, or `nil` if it is one. Its length is checked
    /// apart (``identifierLimit``).
    public static func identifierProblem(_ value: String, _ kind: IdentifierKind) -> String? {
        let scalars = Array(value.unicodeScalars)
        guard let first = scalars.first else { return "is empty" }
        var previous: Unicode.Scalar?
        for scalar in scalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_": break
            case ".":
                if previous == "." { return "holds \"..\"" }
            case "/" where kind == .contract: break
            case "+" where kind == .version: break
            case " " where kind == .measure:
                if previous == " " { return "holds two spaces in a row" }
            default:
                return "holds \(describe(scalar)), which \(kind.name) may not hold"
            }
            previous = scalar
        }
        guard isLetterOrDigit(first) else { return "starts with \(describe(first)); \(kind.name) starts with a letter or digit" }
        if scalars.last == " " { return "ends with a space" }
        return nil
    }

    /// Refuses an identifier that is too long or outside its character set.
    public static func checkIdentifier(_ value: String, _ kind: IdentifierKind, field: String) throws(DomainError) {
        try checkLength(value, limit: identifierLimit, field: field)
        if let problem = identifierProblem(value, kind) {
            throw DomainError(
                .invalidIdentifier,
                "\(field: field) \(DisplayText.quoted(value)) is not \(kind.name): it \(problem) (\(kind.name) is 1 to \(identifierLimit) \(characterSet(kind)), starting with a letter or digit)")
        }
    }

    /// Refuses a catalog reference, `id@version` or a bare id, whose parts are not identifiers.
    public static func checkCatalogReference(_ value: String, field: String) throws(DomainError) {
        try checkLength(value, limit: 2 * identifierLimit + 1, field: field)
        let parts = value.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        try checkIdentifier(parts[0], .reference, field: field)
        if parts.count == 2 { try checkIdentifier(parts[1], .version, field: field) }
    }

    /// Refuses a name longer than ``nameLimit``.
    public static func checkName(_ value: String, field: String) throws(DomainError) {
        try checkLength(value, limit: nameLimit, field: field)
    }

    /// Refuses a note longer than ``noteLimit``.
    public static func checkNote(_ value: String, field: String) throws(DomainError) {
        try checkLength(value, limit: noteLimit, field: field)
    }

    static func checkLength(_ value: String, limit: Int, field: String) throws(DomainError) {
        // Most text is short: its UTF-8 size bounds its length in code points.
        guard value.utf8.count > limit else { return }
        let count = value.unicodeScalars.count
        guard count > limit else { return }
        throw DomainError(.textTooLong, "\(field: field) \(DisplayText.quoted(value)) is \(count) characters long; the limit is \(limit)")
    }

    static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": true
        default: false
        }
    }

    static func characterSet(_ kind: IdentifierKind) -> String {
        switch kind {
        case .contract: "ASCII letters, digits, '-', '_', '.' and '/'"
        case .measure: "ASCII letters, digits, '-', '_' and '.', with single spaces inside"
        case .reference: "ASCII letters, digits, '-', '_' and '.'"
        case .version: "ASCII letters, digits, '-', '_', '.' and '+'"
        }
    }

    /// A character as a message names it: printable ASCII in quotes, anything else by code point.
    static func describe(_ scalar: Unicode.Scalar) -> String {
        if scalar.value >= 0x21, scalar.value < 0x7F { return "'\(scalar)'" }
        if scalar == " " { return "a space" }
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
