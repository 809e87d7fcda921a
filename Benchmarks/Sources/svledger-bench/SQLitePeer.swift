import CSQLite
import EventStore
import LedgerValues

/// The peer: the same log in the system's SQLite, set up as a careful ledger would be. WAL
/// with `synchronous=FULL` (durable at every commit), one table keyed by position, the event
/// id unique, (stream, version) unique, the same envelope bytes and the same SHA-256 chain.
final class SQLiteLog {
    typealias Handle = OpaquePointer
    let directory: TemporaryDirectory
    let database: Handle
    private let insert: Handle
    private(set) var head = ChainHash.genesis
    private(set) var count: UInt64 = 0

    init(label: String) throws {
        directory = try TemporaryDirectory(label)
        var handle: Handle?
        let code = sqlite3_open_v2(directory.file("log.sqlite"), &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        guard code == SQLITE_OK, let handle else { throw SQLiteError(code: code, "sqlite3_open_v2") }
        database = handle
        try Self.execute(database, "PRAGMA journal_mode=WAL")
        try Self.execute(database, "PRAGMA synchronous=FULL")
        try Self.execute(database, """
            CREATE TABLE log(
                position INTEGER PRIMARY KEY,
                event_id BLOB NOT NULL UNIQUE,
                stream TEXT NOT NULL,
                version INTEGER NOT NULL,
                hash BLOB NOT NULL,
                envelope BLOB NOT NULL,
                UNIQUE(stream, version))
            """)
        insert = try Self.prepare(database, "INSERT INTO log(position, event_id, stream, version, hash, envelope) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
    }

    deinit {
        sqlite3_finalize(insert)
        sqlite3_close_v2(database)
        directory.remove()
    }

    /// Inserts `batch` in one transaction (one synced commit), computing the chain as it goes.
    func append(_ batch: [StoredEnvelope]) throws {
        var head = self.head
        var position = count
        try Self.execute(database, "BEGIN IMMEDIATE")
        do {
            for envelope in batch {
                position += 1
                head = envelope.canonical.withUnsafeBytes { ChainHash.link(previous: head, canonical: $0) }
                try insertRow(position: position, envelope: envelope, hash: head)
            }
            try Self.execute(database, "COMMIT")
        } catch {
            try? Self.execute(database, "ROLLBACK")
            throw error
        }
        self.head = head
        count = position
    }

    private func insertRow(position: UInt64, envelope: StoredEnvelope, hash: ChainHash) throws {
        defer { sqlite3_reset(insert) }
        // SQLITE_STATIC (nil): every buffer outlives the step, which happens inside these closures.
        let code: Int32 = envelope.eventId.withUnsafeBytes { id in
            hash.bytes.withUnsafeBytes { hashBytes in
                envelope.canonical.withUnsafeBytes { canonical in
                    var stream = envelope.streamId
                    return stream.withUTF8 { streamBytes in
                        sqlite3_bind_int64(insert, 1, Int64(position))
                        sqlite3_bind_blob(insert, 2, id.baseAddress, Int32(id.count), nil)
                        sqlite3_bind_text(insert, 3, streamBytes.baseAddress, Int32(streamBytes.count), nil)
                        sqlite3_bind_int64(insert, 4, envelope.streamVersion)
                        sqlite3_bind_blob(insert, 5, hashBytes.baseAddress, Int32(hashBytes.count), nil)
                        sqlite3_bind_blob(insert, 6, canonical.baseAddress, Int32(canonical.count), nil)
                        return sqlite3_step(insert)
                    }
                }
            }
        }
        guard code == SQLITE_DONE else { throw SQLiteError(code: code, "insert at \(position): \(String(cString: sqlite3_errmsg(database)))") }
    }

    func checkHead(against expected: ChainHash) throws {
        guard head == expected else { throw BenchError("SQLite chain \(head.hex) differs from svledger's \(expected.hex)") }
    }

    /// The full replay: an ordered scan, the chain recomputed and compared with each stored
    /// hash, and every envelope decoded as svledger decodes a `log` value
    /// (`RecordedEvent(canonical:hash:)`). Compared with svledger's fold.
    func replay() throws -> UInt64 {
        let select = try Self.prepare(database, "SELECT position, hash, envelope FROM log ORDER BY position")
        defer { sqlite3_finalize(select) }
        var previous = ChainHash.genesis
        var seen: UInt64 = 0
        while true {
            let code = sqlite3_step(select)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else { throw SQLiteError(code: code, "replay step") }
            let hash = UnsafeRawBufferPointer(start: sqlite3_column_blob(select, 1), count: Int(sqlite3_column_bytes(select, 1)))
            let canonical = UnsafeRawBufferPointer(start: sqlite3_column_blob(select, 2), count: Int(sqlite3_column_bytes(select, 2)))
            let computed = ChainHash.link(previous: previous, canonical: canonical)
            guard computed.matches(hash) else { throw BenchError("SQLite replay: hash mismatch at \(seen + 1)") }
            let event = try RecordedEvent(canonical: canonical, hash: computed)
            guard event.position == UInt64(sqlite3_column_int64(select, 0)) else { throw BenchError("SQLite replay: position mismatch") }
            seen += 1
            previous = computed
        }
        return seen
    }

    // MARK: - Helpers

    static func execute(_ database: Handle, _ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(database, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? "?"
            sqlite3_free(message)
            throw SQLiteError(code: code, "\(sql): \(text)")
        }
    }

    static func prepare(_ database: Handle, _ sql: String) throws -> Handle {
        var statement: Handle?
        let code = sqlite3_prepare_v2(database, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else { throw SQLiteError(code: code, "prepare \(sql): \(String(cString: sqlite3_errmsg(database)))") }
        return statement
    }
}

/// One event per synced commit in SQLite (WAL syncs once per commit, LMDB twice): for context.
enum SQLiteSingleCommits {
    static func run(_ envelopes: ArraySlice<StoredEnvelope>) throws -> Double {
        let sqlite = try SQLiteLog(label: "sqlite-single")
        let (_, seconds) = try Stopwatch.time {
            for envelope in envelopes { try sqlite.append([envelope]) }
        }
        return Double(envelopes.count) / seconds
    }
}

struct SQLiteError: Error, CustomStringConvertible {
    let code: Int32
    let context: String
    init(code: Int32, _ context: String) {
        self.code = code
        self.context = context
    }
    var description: String { "SQLite error \(code) in \(context)" }
}
