import LedgerValues
import Foundation
import LMDB
import Synchronization

/// The append-only event log of one ledger, on LMDB (layout: Schemas/README.md §1).
///
/// It knows nothing of social value: it stores envelopes in positions, indexes them by
/// stream and by event id, and chains them with SHA-256. Every append is one synced LMDB
/// write transaction, so it is atomic and durable when it returns.
public final class EventStore: Sendable {
    /// The format this code reads and writes, stored in `meta`/`format`.
    public static let format = "svledger/1"

    public let environment: Environment
    let log: Database
    let streams: Database
    let eventIds: Database
    /// The positions of each correlation id (``CorrelationKeys``); `nil` only for a ledger
    /// written before the index existed and opened read-only.
    let correlations: Database?
    /// The Merkle tree's perfect subtrees (``MerkleKeys``); `nil` only for a ledger written
    /// before the tree existed and opened read-only.
    let merkle: Database?
    /// The bytes of evidence files, by their SHA-256 (EvidenceStore.swift); `nil` only for a
    /// ledger written before files were kept and opened read-only.
    let evidence: Database?
    let meta: Database
    let clock: @Sendable () -> Timestamp
    /// How far the ledger's last recorded time may be ahead of this machine's clock before an
    /// append is refused (``EventStoreError/clockBehindLedger(lastRecordedAt:now:)``): clocks
    /// of machines kept by NTP agree to well within it.
    public static let clockToleranceMilliseconds: Int64 = 5 * 60 * 1000
    /// Record even when the ledger's last time is ahead of the clock, at that time (times
    /// never go backwards): the documented, deliberate way on after a clock ran fast.
    let acceptsLedgerTimeAhead: Bool
    /// The head this process last wrote and its `recordedAt`, so that the next append need not
    /// decode the last event to keep `recordedAt` from going backwards. Trusted only while
    /// the ledger's head is still exactly this one.
    let lastWritten = Mutex<(head: LedgerHead, recordedAt: Timestamp)?>(nil)

    /// How to open a ledger.
    public enum OpenMode: Sendable {
        /// Make a new ledger; fails if one exists.
        case create
        /// Open an existing ledger for reading and appending.
        case readWrite
        /// Open an existing ledger without the ability to write (`MDB_RDONLY`).
        case readOnly
    }

    /// Opens or creates the ledger in directory `path`.
    /// - Parameters:
    ///   - mapSize: the initial LMDB map size; it doubles when full.
    ///   - clock: the source of `recordedAt` (tests pin it).
    ///   - acceptLedgerTimeAhead: see ``acceptsLedgerTimeAhead``.
    /// - Throws: ``EventStoreError/notALedger(path:reason:)``, ``EventStoreError/alreadyExists(path:)``, ``LMDBError``.
    public init(
        path: String, mode: OpenMode = .readWrite, mapSize: Int = 1 << 30,
        clock: @escaping @Sendable () -> Timestamp = Timestamp.now, acceptLedgerTimeAhead: Bool = false
    ) throws {
        let dataFile = (path as NSString).appendingPathComponent("data.mdb")
        let exists = FileManager.default.fileExists(atPath: dataFile)
        switch mode {
        case .create where exists: throw EventStoreError.alreadyExists(path: path)
        case .readWrite where !exists, .readOnly where !exists:
            throw EventStoreError.notALedger(path: path, reason: "no data.mdb there (create one with `svledger init`)")
        default: break
        }
        var options = Environment.Options()
        options.mapSize = mapSize
        options.readOnly = mode == .readOnly
        options.createDirectory = mode == .create
        environment = try Environment(path: path, options: options)
        self.clock = clock
        self.acceptsLedgerTimeAhead = acceptLedgerTimeAhead

        let flags: DatabaseFlags = mode == .create ? [.create] : []
        do {
            log = try environment.openDatabase("log", flags: flags)
            streams = try environment.openDatabase("streams", flags: flags)
            eventIds = try environment.openDatabase("event-ids", flags: flags)
            meta = try environment.openDatabase("meta", flags: flags)
        } catch LMDBError.notFound {
            throw EventStoreError.notALedger(path: path, reason: "the LMDB environment has no svledger databases")
        }
        correlations = try Self.openCorrelations(environment, mode: mode, log: log)
        merkle = try Self.openMerkle(environment, mode: mode, log: log)
        evidence = try Self.openEvidence(environment, mode: mode)
        if mode == .create {
            try environment.write { txn in
                try txn.put(meta, key: Array("format".utf8), value: Array(Self.format.utf8))
                try txn.put(meta, key: Array("head".utf8), value: LedgerHead.empty.storedBytes)
            }
        }
        let format = try environment.read { try $0.get(meta, key: Array("format".utf8)) }
        guard let format, String(decoding: format, as: UTF8.self) == Self.format else {
            let found = format.map { String(decoding: $0, as: UTF8.self) } ?? "none"
            throw EventStoreError.notALedger(path: path, reason: "format is \(found), expected \(Self.format)")
        }
    }

    // MARK: - Reading

    /// Runs `body` with a reader on one consistent snapshot of the ledger.
    public func read<T>(_ body: (LedgerReader) throws -> T) throws -> T {
        try environment.read { txn in try body(LedgerReader(store: self, transaction: txn)) }
    }

    /// A reader over an open transaction, for modules that keep their own databases in the
    /// same environment and must read the log in their own write transaction.
    public func reader(for transaction: Transaction) -> LedgerReader {
        LedgerReader(store: self, transaction: transaction)
    }

    /// The last position and its hash.
    public func head() throws -> LedgerHead { try read { try $0.head() } }

    /// Bytes of `data.mdb` on disk.
    public var fileSize: Int64 {
        let attributes = try? FileManager.default.attributesOfItem(
            atPath: (environment.path as NSString).appendingPathComponent("data.mdb"))
        return (attributes?[.size] as? NSNumber)?.int64Value ?? 0
    }
}

extension LedgerHead {
    /// `meta`/`head`: 8-byte big-endian position, then the 32 hash bytes.
    var storedBytes: [UInt8] { Bytes.bigEndian(position) + hash.bytes }

    init?(storedBytes: [UInt8]) {
        guard storedBytes.count == 40, let position = Bytes.readBigEndian(storedBytes),
            let hash = ChainHash(bytes: Array(storedBytes[8...]))
        else { return nil }
        self.init(position: position, hash: hash)
    }
}
