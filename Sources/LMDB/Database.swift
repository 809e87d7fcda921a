internal import CLMDB

/// A named database inside an ``Environment`` (an `MDB_dbi`).
///
/// The handle is valid for the life of the environment once the transaction that opened
/// it has committed, and may be used from any transaction of that environment.
public struct Database: Sendable, Hashable {
    /// The raw LMDB handle.
    package let handle: UInt32  // MDB_dbi
    public let name: String
}

/// Flags for opening a named database (`mdb_dbi_open`).
public struct DatabaseFlags: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `MDB_CREATE`: create the database if it does not exist (write transactions only).
    public static let create = DatabaseFlags(rawValue: UInt32(MDB_CREATE))
    /// `MDB_DUPSORT`: several sorted values per key.
    public static let duplicateSort = DatabaseFlags(rawValue: UInt32(MDB_DUPSORT))
}

/// Flags for `mdb_put` and `mdb_cursor_put`.
public struct PutFlags: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `MDB_NOOVERWRITE`: fail with ``LMDBError/keyExists`` if the key is present.
    public static let noOverwrite = PutFlags(rawValue: UInt32(MDB_NOOVERWRITE))
    /// `MDB_APPEND`: the key sorts after every existing key; cheap sequential inserts.
    /// An out-of-order key fails with ``LMDBError/keyExists``.
    public static let append = PutFlags(rawValue: UInt32(MDB_APPEND))
    /// `MDB_APPENDDUP`: as ``append`` for the values of a `DUPSORT` key.
    public static let appendDuplicate = PutFlags(rawValue: UInt32(MDB_APPENDDUP))
}

/// Entry counts and depth of a database (`mdb_stat`).
public struct DatabaseStatistics: Sendable {
    public let entries: Int
    public let depth: Int
    public let pageSize: Int
    public let leafPages: Int
    public let branchPages: Int
    public let overflowPages: Int
}
