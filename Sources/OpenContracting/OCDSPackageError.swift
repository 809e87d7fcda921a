import LedgerValues

/// Why a file is not a release package the import can read at all. Each is an input error:
/// nothing is planned and nothing is written.
public struct OCDSPackageError: CategorizedError, Equatable {
    public let kind: String
    public let message: String

    public init(_ kind: String, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var category: ErrorCategory { .input }
    public var description: String { message }
}
