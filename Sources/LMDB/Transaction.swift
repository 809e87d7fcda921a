internal import CLMDB
import Foundation

/// An LMDB transaction, valid only inside the closure of ``Environment/read(_:)`` or
/// ``Environment/write(_:)`` that handed it out, and only on that closure's thread.
///
/// Values read from it are copied into Swift arrays before they are returned, because
/// LMDB's pointers into the map die with the transaction. The borrowing variants
/// (``withValue(in:key:_:)``, ``Cursor``) hand out buffers valid only inside their closure.
public final class Transaction {
    /// The raw `MDB_txn *`.
    package let handle: OpaquePointer
    public let isReadOnly: Bool
    /// Set when a write hit `MDB_MAP_FULL`: the transaction is dead and
    /// ``Environment/write(_:)`` must abort it, grow the map and retry, whatever the body did.
    var hitMapFull = false

    init(handle: OpaquePointer, isReadOnly: Bool) {
        self.handle = handle
        self.isReadOnly = isReadOnly
    }

    /// Opens (or with `.create`, makes) the named database inside this write transaction, so
    /// that it can be made and filled all or nothing. Its handle stays valid once committed.
    public func openDatabase(_ name: String, flags: DatabaseFlags = []) throws(LMDBError) -> Database {
        var dbi: MDB_dbi = 0
        try check(mdb_dbi_open(handle, name, flags.rawValue, &dbi), "mdb_dbi_open(\(name))")
        return Database(handle: dbi, name: name)
    }

    // MARK: - Reads

    /// The value stored under `key`, copied out, or `nil` if there is none.
    /// - Throws: ``LMDBError`` for any failure other than a missing key.
    public func get(_ database: Database, key: some ContiguousBytes) throws(LMDBError) -> [UInt8]? {
        try withValue(in: database, key: key) { $0.map { Array($0) } }
    }

    /// Calls `body` with the stored value (or `nil`), borrowed from the map.
    /// The buffer must not escape `body`.
    public func withValue<T>(
        in database: Database, key: some ContiguousBytes,
        _ body: (UnsafeRawBufferPointer?) throws(LMDBError) -> T
    ) throws(LMDBError) -> T {
        var found = MDB_val()
        let code: Int32 = key.withUnsafeBytes { keyBytes in
            var mdbKey = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            return mdb_get(handle, database.handle, &mdbKey, &found)
        }
        if code == MDB_NOTFOUND { return try body(nil) }
        try check(code, "mdb_get(\(database.name))")
        return try body(UnsafeRawBufferPointer(start: found.mv_data, count: found.mv_size))
    }

    /// Entry count and shape of `database` as this transaction sees it.
    public func statistics(_ database: Database) throws(LMDBError) -> DatabaseStatistics {
        var stat = MDB_stat()
        try check(mdb_stat(handle, database.handle, &stat), "mdb_stat(\(database.name))")
        return DatabaseStatistics(
            entries: stat.ms_entries, depth: Int(stat.ms_depth), pageSize: Int(stat.ms_psize),
            leafPages: stat.ms_leaf_pages, branchPages: stat.ms_branch_pages,
            overflowPages: stat.ms_overflow_pages)
    }

    // MARK: - Writes

    /// Stores `value` under `key`.
    /// - Throws: ``LMDBError/keyExists`` when `flags` forbid replacing or misordering a key;
    ///   ``LMDBError/mapFull`` is handled by ``Environment/write(_:)``, which retries.
    public func put(
        _ database: Database, key: some ContiguousBytes, value: some ContiguousBytes,
        flags: PutFlags = []
    ) throws(LMDBError) {
        let code: Int32 = key.withUnsafeBytes { keyBytes in
            value.withUnsafeBytes { valueBytes in
                var mdbKey = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
                var mdbValue = MDB_val(mv_size: valueBytes.count, mv_data: UnsafeMutableRawPointer(mutating: valueBytes.baseAddress))
                return mdb_put(handle, database.handle, &mdbKey, &mdbValue, flags.rawValue)
            }
        }
        if code == MDB_MAP_FULL { hitMapFull = true }
        try check(code, "mdb_put(\(database.name))")
    }

    /// Deletes the entry under `key`. Returns `false` if there was none.
    @discardableResult
    public func delete(_ database: Database, key: some ContiguousBytes) throws(LMDBError) -> Bool {
        let code: Int32 = key.withUnsafeBytes { keyBytes in
            var mdbKey = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            return mdb_del(handle, database.handle, &mdbKey, nil)
        }
        if code == MDB_NOTFOUND { return false }
        if code == MDB_MAP_FULL { hitMapFull = true }
        try check(code, "mdb_del(\(database.name))")
        return true
    }

    /// Removes every entry of `database`, keeping the database itself (`mdb_drop(…, 0)`).
    public func empty(_ database: Database) throws(LMDBError) {
        let code = mdb_drop(handle, database.handle, 0)
        if code == MDB_MAP_FULL { hitMapFull = true }
        try check(code, "mdb_drop(\(database.name))")
    }

    /// Deletes `database` itself from the environment (`mdb_drop(…, 1)`); its handle is then closed.
    public func drop(_ database: Database) throws(LMDBError) {
        let code = mdb_drop(handle, database.handle, 1)
        if code == MDB_MAP_FULL { hitMapFull = true }
        try check(code, "mdb_drop(\(database.name), delete)")
    }

    // MARK: - Cursors

    /// Opens a cursor on `database` for the duration of `body`, then closes it.
    public func withCursor<T>(
        _ database: Database, _ body: (Cursor) throws -> T
    ) throws -> T {
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(handle, database.handle, &cursor), "mdb_cursor_open(\(database.name))")
        let wrapped = Cursor(handle: cursor!, database: database)
        defer { mdb_cursor_close(cursor) }
        return try body(wrapped)
    }
}

/// A transaction belongs to the thread that began it (lmdb.h), and must never be handed to
/// another task or thread: the compiler refuses to send one.
@available(*, unavailable)
extension Transaction: Sendable {}
