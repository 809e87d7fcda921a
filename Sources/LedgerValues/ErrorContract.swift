/// The one error contract: every error a user can cause says what kind it is (a stable name,
/// the rule's where there is one), which category that kind falls in, and a one-line message
/// (`description`). Each edge maps it once: the CLI to an exit code (``ErrorCategory/exitCode``),
/// a server to an HTTP status. docs/errors.md lists the kinds.
public protocol CategorizedError: Error, CustomStringConvertible {
    /// A stable, kebab-case name: `second-return`, `concurrency-conflict`, `invalid-json`.
    var kind: String { get }
    var category: ErrorCategory { get }
    /// The line a person reads: the message, naming the kind where it does not already.
    var line: String { get }
}

extension CategorizedError {
    public var line: String { "\(description) (\(kind))" }

    /// The same error, its message prefixed with where it happened (`file line 3: …`).
    public func inContext(_ context: String, separator: String = ": ") -> ErrorInContext {
        ErrorInContext(context: context, separator: separator, underlying: self)
    }
}

/// What a caller can do about an error, and the exit code that tells a script so.
/// The codes follow BSD's sysexits where one fits; 1 is kept for a refusal by a rule,
/// the answer a user meets most.
public enum ErrorCategory: String, Sendable, CaseIterable {
    /// A rule refused the command; nothing was written. Change the command.
    case refused
    /// The ledger, or something read from it, is not what its chain and indexes prove.
    case integrity
    /// The command line itself is wrong (unknown command, bad flag).
    case usage
    /// Input that does not read: malformed JSON, a bad number, a ragged table.
    case input
    /// What was named does not exist (a contract, a ledger, a file).
    case notFound
    /// Another writer changed the stream since it was read; the same command may succeed again.
    case conflict
    /// The disk or LMDB failed; nothing was changed by this command.
    case storage
    /// A fault in svledger itself.
    case `internal`

    public var exitCode: Int32 {
        switch self {
        case .refused: 1
        case .integrity: 3
        case .usage: 64  // EX_USAGE
        case .input: 65  // EX_DATAERR
        case .notFound: 66  // EX_NOINPUT
        case .internal: 70  // EX_SOFTWARE
        case .storage: 74  // EX_IOERR
        case .conflict: 75  // EX_TEMPFAIL
        }
    }
}

/// An error with where it happened in front of its message; kind and category stay the
/// underlying error's.
public struct ErrorInContext: CategorizedError {
    public let context: String
    public let separator: String
    public let underlying: any CategorizedError

    public init(context: String, separator: String = ": ", underlying: any CategorizedError) {
        self.context = context
        self.separator = separator
        self.underlying = underlying
    }

    public var kind: String { underlying.kind }
    public var category: ErrorCategory { underlying.category }
    public var description: String { context + separator + underlying.description }
    public var line: String { context + separator + underlying.line }
}

/// An error that names its kind and category where it is thrown, for the failures that have
/// no type of their own (a file that cannot be read, an unknown contract).
public struct PlainError: CategorizedError {
    public let kind: String
    public let category: ErrorCategory
    public let description: String

    public init(_ category: ErrorCategory, kind: String, _ description: String) {
        self.category = category
        self.kind = kind
        self.description = description
    }
}
