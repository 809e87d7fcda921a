import EventStore
import LedgerValues
import LMDB

/// The limit: svledger's log with nothing else. The same envelope bytes under big-endian
/// positions with `MDB_APPEND`, each value the 32-byte SHA-256 link then the canonical bytes,
/// no indexes, no domain, no projections. svledger's figures are read as fractions of this.
final class RawLMDBLog {
    let directory: TemporaryDirectory
    let environment: Environment
    let log: Database
    private(set) var head = ChainHash.genesis
    private(set) var count: UInt64 = 0

    init(label: String) throws {
        directory = try TemporaryDirectory(label)
        var options = Environment.Options()
        // A map large enough up front (the file stays sparse): the limit should not pay for
        // the grow-and-retry that svledger's default 1 GiB map triggers twice on the way to 1M.
        options.mapSize = 64 << 30
        environment = try Environment(path: directory.path, options: options)
        log = try environment.openDatabase("log", flags: [.create])
    }

    /// Appends `batch` in one synced write transaction, computing the chain as it goes.
    func append(_ batch: [StoredEnvelope]) throws {
        var head = self.head
        var position = count
        try environment.write { txn in
            for envelope in batch {
                position += 1
                head = envelope.canonical.withUnsafeBytes { ChainHash.link(previous: head, canonical: $0) }
                try txn.put(log, key: Bytes.bigEndian(position), value: head.bytes + envelope.canonical, flags: .append)
            }
        }
        self.head = head
        count = position
    }

    /// Checks (untimed, once) that the chain computed here is the one svledger stored.
    func checkHead(against expected: ChainHash) throws {
        guard head == expected else { throw BenchError("raw LMDB chain \(head.hex) differs from svledger's \(expected.hex)") }
    }

    /// Scans the log and recomputes the chain, comparing every stored hash: the bare cost of
    /// what a verifier must do, and the yardstick for `svledger verify`.
    func scanAndHash() throws -> UInt64 {
        try environment.read { txn in
            try txn.withCursor(log) { cursor in
                var previous = ChainHash.genesis
                var seen: UInt64 = 0
                var entry = try cursor.first()
                while let current = entry {
                    let computed = ChainHash.link(previous: previous, canonical: UnsafeRawBufferPointer(rebasing: current.value[32...]))
                    guard computed.matches(current.value[0..<32]) else { throw BenchError("raw scan: hash mismatch at \(seen + 1)") }
                    previous = computed
                    seen += 1
                    entry = try cursor.next()
                }
                return seen
            }
        }
    }

    /// Scan, re-hash and decode every envelope as svledger's reads do
    /// (`RecordedEvent(canonical:hash:)`): what any replay from this store costs before folding.
    func scanHashAndDecode() throws -> UInt64 {
        try environment.read { txn in
            try txn.withCursor(log) { cursor in
                var previous = ChainHash.genesis
                var seen: UInt64 = 0
                var entry = try cursor.first()
                while let current = entry {
                    let canonical = UnsafeRawBufferPointer(rebasing: current.value[32...])
                    let computed = ChainHash.link(previous: previous, canonical: canonical)
                    guard computed.matches(current.value[0..<32]) else { throw BenchError("raw replay: hash mismatch at \(seen + 1)") }
                    let event = try RecordedEvent(canonical: canonical, hash: computed)
                    seen = event.position
                    previous = computed
                    entry = try cursor.next()
                }
                return seen
            }
        }
    }

    func close() { directory.remove() }
}

/// One event per synced commit into a fresh raw log: the floor set by the disk's fsync, which
/// svledger's durable single append is compared with.
enum RawLMDBSingleCommits {
    static func run(_ envelopes: ArraySlice<StoredEnvelope>) throws -> Double {
        let raw = try RawLMDBLog(label: "raw-single")
        defer { raw.close() }
        let (_, seconds) = try Stopwatch.time {
            for envelope in envelopes { try raw.append([envelope]) }
        }
        return Double(envelopes.count) / seconds
    }
}
