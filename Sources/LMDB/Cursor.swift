internal import CLMDB
import Foundation

/// A position in a database, valid only inside ``Transaction/withCursor(_:_:)``.
///
/// Each move returns the entry it lands on as borrowed buffers: they point into the map
/// and are valid only until the next move or the end of the transaction.
public struct Cursor {
    /// The raw `MDB_cursor *`.
    package let handle: OpaquePointer
    public let database: Database

    /// A key and value borrowed from the map.
    public struct Entry {
        public let key: UnsafeRawBufferPointer
        public let value: UnsafeRawBufferPointer

        /// Starts bringing the first `limit` bytes of the value into the processor's caches,
        /// for a reader that will read them soon (the next entry, while it reads this one).
        public func prefetchValue(upTo limit: Int) {
            guard let start = value.baseAddress else { return }
            svledger_prefetch(start, min(value.count, limit))
        }
    }

    /// `MDB_FIRST`.
    public func first() throws(LMDBError) -> Entry? { try move(MDB_FIRST) }
    /// `MDB_LAST`.
    public func last() throws(LMDBError) -> Entry? { try move(MDB_LAST) }
    /// `MDB_NEXT`.
    public func next() throws(LMDBError) -> Entry? { try move(MDB_NEXT) }
    /// `MDB_PREV`.
    public func previous() throws(LMDBError) -> Entry? { try move(MDB_PREV) }

    /// `MDB_SET_RANGE`: the first entry whose key is at or after `key`.
    public func seek(atOrAfter key: some ContiguousBytes) throws(LMDBError) -> Entry? {
        var mdbValue = MDB_val()
        let code: Int32 = key.withUnsafeBytes { keyBytes in
            var mdbKey = MDB_val(mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            // LMDB replaces mdbKey with a pointer to the stored key; read it back through `current`.
            return mdb_cursor_get(handle, &mdbKey, &mdbValue, MDB_SET_RANGE)
        }
        if code == MDB_NOTFOUND { return nil }
        try check(code, "mdb_cursor_get(\(database.name), SET_RANGE)")
        return try move(MDB_GET_CURRENT)
    }

    private func move(_ operation: MDB_cursor_op) throws(LMDBError) -> Entry? {
        var key = MDB_val()
        var value = MDB_val()
        let code = mdb_cursor_get(handle, &key, &value, operation)
        if code == MDB_NOTFOUND { return nil }
        try check(code, "mdb_cursor_get(\(database.name))")
        return Entry(
            key: UnsafeRawBufferPointer(start: key.mv_data, count: key.mv_size),
            value: UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size))
    }
}

/// A cursor lives and dies inside its transaction, on that transaction's thread.
@available(*, unavailable)
extension Cursor: Sendable {}
