internal import CLMDB

/// An error returned by an LMDB call: the C return code, the call that failed, and
/// LMDB's own words for it (`mdb_strerror`).
///
/// Match on a code with `~=`:
/// ```swift
/// catch LMDBError.notFound { … }
/// ```
public struct LMDBError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The LMDB or errno return code.
    public let code: Int32
    /// The C function that returned it, e.g. `mdb_put`.
    public let operation: String

    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// LMDB's description of ``code``.
    public var message: String { String(cString: mdb_strerror(code)) }

    public var description: String { "\(operation): \(message) (LMDB code \(code))" }

    // MARK: - Codes worth naming

    public static let notFound = LMDBError(code: MDB_NOTFOUND, operation: "")
    public static let keyExists = LMDBError(code: MDB_KEYEXIST, operation: "")
    public static let mapFull = LMDBError(code: MDB_MAP_FULL, operation: "")
    public static let mapResized = LMDBError(code: MDB_MAP_RESIZED, operation: "")

    /// Two errors are equal when their codes are; the operation is context, not identity.
    public static func == (lhs: LMDBError, rhs: LMDBError) -> Bool { lhs.code == rhs.code }

    /// Lets `catch LMDBError.keyExists` match any error carrying that code.
    public static func ~= (pattern: LMDBError, value: any Error) -> Bool {
        (value as? LMDBError)?.code == pattern.code
    }
}

/// Throws an ``LMDBError`` unless `code` is `MDB_SUCCESS`.
@inline(__always)
func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(LMDBError) {
    if code != MDB_SUCCESS { throw LMDBError(code: code, operation: operation()) }
}
