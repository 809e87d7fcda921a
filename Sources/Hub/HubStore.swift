import EventStore
import Foundation
import LedgerValues
import Logging
import PostgresNIO
import Synchronization

/// The hub's PostgreSQL database: the schema, created and migrated by svledger itself from
/// the versioned files in `Migrations/` (never by hand), and the `events` table that every
/// council's verified events go into.
///
/// One connection, used by one writer in turn (an actor): a follower writes one page after
/// another, so a pool would add nothing. A connection the database dropped (a restart, the
/// network) is closed and made again at the next call.
public actor HubStore {
    let settings: HubSettings
    let logger: Logger
    private var open: PostgresConnection?
    /// Connections given up and told to close: kept until closed (PostgresNIO requires a
    /// connection be closed before it goes).
    private var retired: [PostgresConnection] = []
    private var connections = 0

    public init(settings: HubSettings, logger: Logger? = nil) {
        self.settings = settings
        self.logger = logger ?? Logger(label: "svledger.hub") { _ in SwiftLogNoOpLogHandler() }
    }

    /// The open connection, or a new one.
    func connection() async throws -> PostgresConnection {
        if let open, !open.isClosed { return open }
        retired.removeAll { $0.isClosed }
        connections += 1
        let made = try await PostgresConnection.connect(configuration: settings.configuration, id: connections, logger: logger)
        open = made
        return made
    }

    /// Closes the connection (a follower that stops).
    public func close() async {
        // The open connection is closed and waited for; those given up were told to close
        // already, and one the server dropped may never answer: they are waited for a little,
        // then kept for the life of the process (PostgresNIO asserts that a connection is
        // closed before it goes).
        if let open { _ = try? await (open.close() as EventLoopFuture<Void>).get() }
        open = nil
        for connection in retired {
            _ = try? await Self.within(.seconds(2)) { try await (connection.close() as EventLoopFuture<Void>).get() }
        }
        let unclosed = retired.filter { !$0.isClosed }
        Self.neverDropped.withLock { $0 += unclosed }
        retired = []
    }

    /// Connections that did not finish closing, kept until the process ends.
    private static let neverDropped = Mutex<[PostgresConnection]>([])

    /// Runs `body` on the connection, saying what PostgresNIO throws in the hub's words
    /// (``HubError/translated(_:)``); after a failure that is the database's going away, the
    /// connection is dropped, to be made again.
    ///
    /// A call that gets no answer within `timeout` is given up, and the connection with it: a
    /// server that restarts in the middle of a transaction can leave its connection open and
    /// silent, and a follower must not wait on it for ever.
    private func onConnection<T: Sendable>(
        timeout: Duration = .seconds(30), _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        do {
            let connection = try await connection()
            return try await Self.within(timeout) { try await body(connection) }
        } catch {
            let translated = HubError.translated(error)
            if (translated as? HubError)?.transient == true {
                // Dropped without waiting: closing a connection the server already dropped
                // can wait for an answer that never comes.
                if let dropped = open {
                    _ = dropped.close() as EventLoopFuture<Void>
                    retired.append(dropped)
                }
                open = nil
            }
            throw translated
        }
    }

    // MARK: - Migrations

    /// One versioned migration: `NNNN_name.sql`.
    public struct Migration: Sendable, Equatable {
        public let version: Int
        public let name: String
        public let statements: [String]
    }

    /// The migrations shipped with svledger, in order.
    public static func migrations() throws -> [Migration] {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else { return [] }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        return try files.map { file in
            guard let version = Int(file.prefix { $0.isNumber }) else { throw HubError("migration \(file) has no version number") }
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            return Migration(version: version, name: String(file.dropLast(4)), statements: try statements(in: text, file: file))
        }
    }

    /// The statements of a migration file: each ends with `;` at the end of a line, outside a
    /// function's body between `$$` quotes (kept as written); whole-line comments outside
    /// bodies are left out. A file this cannot split surely (a tagged quote such as `$body$`,
    /// a body never closed, a last statement without its `;`) is refused rather than applied
    /// in part.
    static func statements(in text: String, file: String = "the migration") throws -> [String] {
        var statements: [String] = []
        var current: [Substring] = []
        var inBody = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !inBody && (trimmed.hasPrefix("--") || trimmed.isEmpty) { continue }
            if line.contains(/\$[A-Za-z_][A-Za-z0-9_]*\$/) { throw HubError("\(file) quotes with a tagged $name$; write $$ instead") }
            current.append(line)
            if line.split(separator: "$$", omittingEmptySubsequences: false).count % 2 == 0 { inBody.toggle() }
            if trimmed.hasSuffix(";") && !inBody {
                statements.append(current.joined(separator: "\n"))
                current = []
            }
        }
        guard !inBody, current.isEmpty else { throw HubError("\(file) ends inside a statement or a $$ body") }
        return statements
    }

    /// Applies the migrations not yet applied, each in a transaction of its own with its
    /// record in `svledger_hub_migrations`; two hubs starting at once take turns (an advisory
    /// lock). A database migrated by a newer svledger is refused.
    /// - Returns: the versions applied now.
    @discardableResult
    public func migrate() async throws -> [Int] {
        try await onConnection(timeout: .seconds(600)) { try await self.migrate(on: $0) }
    }

    private func migrate(on client: PostgresConnection) async throws -> [Int] {
        let shipped = try Self.migrations()
        var applied: [Int] = []
        for migration in shipped {
            let done = try await client.withTransaction(logger: logger) { connection -> Bool in
                // The lock first, then the table: two hubs starting on a new database take turns.
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: logger)
                try await connection.query(
                    "CREATE TABLE IF NOT EXISTS svledger_hub_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
                    logger: logger)
                let rows = try await connection.query("SELECT version FROM svledger_hub_migrations WHERE version = \(migration.version)", logger: logger)
                for try await _ in rows { return true }
                for statement in migration.statements { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                try await connection.query(
                    "INSERT INTO svledger_hub_migrations (version, name) VALUES (\(migration.version), \(migration.name))", logger: logger)
                return false
            }
            if !done { applied.append(migration.version) }
        }
        let newest = try await client.query("SELECT coalesce(max(version), 0) FROM svledger_hub_migrations", logger: logger)
        for try await version in newest.decode(Int.self) where version > (shipped.last?.version ?? 0) {
            throw HubError("the hub's database was migrated to version \(version) by a newer svledger; this one knows \(shipped.last?.version ?? 0)")
        }
        return applied
    }

    /// `body`'s result, or a transient ``HubError`` once `timeout` has passed without one. The
    /// work is not awaited after that (a task group would wait for it): the caller drops its
    /// connection, which ends it. An answer in time stops the timer.
    static func within<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let answered = FirstAnswer()
        return try await withCheckedThrowingContinuation { continuation in
            let timer = Task {
                // Cancelled when the answer came first: then it claims nothing.
                guard (try? await Task.sleep(for: timeout)) != nil, answered.claim() else { return }
                continuation.resume(throwing: HubError("the hub's database gave no answer in \(timeout)", transient: true))
            }
            Task {
                let result: Result<T, any Error>
                do { result = .success(try await body()) } catch { result = .failure(error) }
                if answered.claim() {
                    timer.cancel()
                    continuation.resume(with: result)
                }
            }
        }
    }

    /// Any number, the same for every svledger: the lock two migrating hubs share.
    static let migrationLock: Int64 = 0x5356_4C45_4447_4552

    // MARK: - Events

    /// Each stream's last version, for `council`.
    public func streamVersions(council: String) async throws -> [String: UInt64] {
        try await onConnection { try await self.streamVersions(council: council, on: $0) }
    }

    private func streamVersions(council: String, on client: PostgresConnection) async throws -> [String: UInt64] {
        let rows = try await client.query(
            "SELECT stream_id, max(stream_version) FROM events WHERE council = \(council) GROUP BY stream_id", logger: logger)
        var versions: [String: UInt64] = [:]
        for try await (stream, version) in rows.decode((String, Int64).self) { versions[stream] = UInt64(version) }
        return versions
    }

    /// Checks `council`'s chain again from the rows alone: positions 1, 2, … with no gap, each
    /// row's previous hash the hash of the row before, and each hash SHA-256 of that and the
    /// row's canonical bytes.
    /// - Returns: the head the rows end at, and the last event's recorded time.
    /// - Throws: ``ReplicationRefusal`` naming the first row that does not hold.
    public func recheck(council: String) async throws -> (head: LedgerHead, recordedAt: Timestamp?) {
        try await onConnection(timeout: .seconds(3600)) { try await self.recheck(council: council, on: $0) }
    }

    private func recheck(council: String, on client: PostgresConnection) async throws -> (head: LedgerHead, recordedAt: Timestamp?) {
        let rows = try await client.query(
            "SELECT position, hash, previous_hash, canonical FROM events WHERE council = \(council) ORDER BY position", logger: logger)
        var head = LedgerHead.empty
        var last: String?
        for try await (position, hash, previous, canonical) in rows.decode((Int64, String, String, String).self) {
            let expected = head.position + 1
            guard position == Int64(expected) else { throw ReplicationRefusal(position: expected, problem: "the hub holds no row for it (the next row is \(position))") }
            guard previous == head.hash.hex else { throw ReplicationRefusal(position: expected, problem: "its previous hash is not the hash of the row before") }
            let linked = ChainHash.link(previous: head.hash, canonical: Array(canonical.utf8))
            guard linked.hex == hash else { throw ReplicationRefusal(position: expected, problem: "its canonical bytes do not hash to its hash: the row was altered") }
            head = LedgerHead(position: expected, hash: linked)
            last = canonical
        }
        // The columns the views read must say what the canonical bytes say.
        let differing = try await client.query(
            """
            SELECT position FROM events WHERE council = \(council) AND (
                payload <> (canonical::jsonb)->'payload' OR event_type <> (canonical::jsonb)->>'eventType'
                OR stream_id <> (canonical::jsonb)->>'streamId' OR stream_version <> ((canonical::jsonb)->>'streamVersion')::bigint
                OR event_id::text <> (canonical::jsonb)->>'eventId' OR effective_date <> ((canonical::jsonb)->>'effectiveDate')::date
                OR actor_id <> (canonical::jsonb)->'actor'->>'id' OR actor_role <> (canonical::jsonb)->'actor'->>'role'
                OR recorded_at <> ((canonical::jsonb)->>'recordedAt')::timestamptz)
            ORDER BY position LIMIT 1
            """, logger: logger)
        for try await position in differing.decode(Int64.self) {
            throw ReplicationRefusal(position: UInt64(position), problem: "a column of the row does not say what its canonical bytes say: the row was altered")
        }
        let recordedAt = try last.map { text in
            try Array(text.utf8).withUnsafeBytes { bytes throws(EnvelopeDecodingError) in try RecordedEvent(canonical: bytes, hash: head.hash) }.recordedAt
        }
        return (head, recordedAt)
    }

    /// Inserts checked events for `council` in one transaction. A row already there at the same
    /// position is left as it is (an insert repeated after a lost answer), but must be the same
    /// event; anything else is refused and nothing of the page is kept.
    public func insert(council: String, _ events: [(event: RecordedEvent, canonical: [UInt8])]) async throws {
        try await onConnection { try await self.insert(council: council, events, on: $0) }
    }

    private func insert(council: String, _ events: [(event: RecordedEvent, canonical: [UInt8])], on client: PostgresConnection) async throws {
        guard let first = events.first?.event.position, let last = events.last?.event.position else { return }
        var positions: [Int64] = [], hashes: [String] = [], previous: [String] = [], ids: [String] = [], types: [String] = []
        var streams: [String] = [], versions: [Int64] = [], recorded: [String] = [], effective: [String] = []
        var actors: [String] = [], roles: [String] = [], canonical: [String] = []
        for (event, bytes) in events {
            positions.append(Int64(event.position))
            hashes.append(event.hash.hex)
            previous.append(event.previousHash.hex)
            ids.append(event.eventId.description)
            types.append(event.eventType)
            streams.append(event.streamId)
            versions.append(Int64(event.streamVersion))
            recorded.append(event.recordedAt.description)
            effective.append(event.event.effectiveDate.description)
            actors.append(event.event.actor.id)
            roles.append(event.event.actor.role)
            canonical.append(String(decoding: bytes, as: UTF8.self))
        }
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query(
                """
                INSERT INTO events (council, position, hash, previous_hash, event_id, event_type, stream_id, stream_version,
                                    recorded_at, effective_date, actor_id, actor_role, payload, canonical)
                SELECT \(council), u.position, u.hash, u.previous_hash, u.event_id::uuid, u.event_type, u.stream_id, u.stream_version,
                       u.recorded_at::timestamptz, u.effective_date::date, u.actor_id, u.actor_role, (u.canonical::jsonb)->'payload', u.canonical
                FROM unnest(\(positions)::bigint[], \(hashes)::text[], \(previous)::text[], \(ids)::text[], \(types)::text[], \(streams)::text[],
                            \(versions)::bigint[], \(recorded)::text[], \(effective)::text[], \(actors)::text[], \(roles)::text[], \(canonical)::text[])
                     AS u(position, hash, previous_hash, event_id, event_type, stream_id, stream_version, recorded_at, effective_date, actor_id, actor_role, canonical)
                ON CONFLICT (council, position) DO NOTHING
                """, logger: logger)
            let stored = try await connection.query(
                "SELECT position, hash FROM events WHERE council = \(council) AND position BETWEEN \(Int64(first)) AND \(Int64(last)) ORDER BY position",
                logger: logger)
            var index = 0
            for try await (position, hash) in stored.decode((Int64, String).self) {
                guard index < hashes.count, positions[index] == position, hashes[index] == hash else {
                    throw ReplicationRefusal(position: UInt64(position), problem: "the hub holds another event at this position for \(council): two histories")
                }
                index += 1
            }
            guard index == hashes.count else { throw HubError("the hub kept \(index) of \(hashes.count) events for \(council)") }
        }
    }
}
