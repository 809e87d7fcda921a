import EventStore
import LedgerValues
import Foundation
import Ledger
import SyntheticData

/// Measures one size, every phase in this one process, so that each ratio compares runs made
/// side by side on the same machine state. Order matters for memory, not for speed: the
/// fold runs before the peers are filled, so its heap baseline holds only svledger's.
enum SizeRun {
    static let batchSize = 10_000

    static func run(size: Int, options: Options) throws -> SizeResult {
        let started = ContinuousClock.now
        var result = SizeResult()
        result.requestedEvents = size
        result.loadAverageAtStart = Machine.loadAverage()

        Log.say("\(size): svledger bulk append (SyntheticPortfolio.populate, seed \(options.seed))…")
        let bulk = try SvledgerBulkAppend.run(events: size, seed: options.seed)
        defer { bulk.directory.remove() }
        let ledger = bulk.ledger
        result.events = bulk.events
        result.bulkEventsPerSecond = Double(bulk.events) / bulk.seconds
        result.ledgerFileMiB = Double(ledger.store.fileSize) / 1_048_576
        let head = try ledger.store.head()

        Log.say("\(size): fold…")
        let fold = try SvledgerFold.run(ledger)
        result.foldEventsPerSecond = Double(fold.events) / fold.seconds
        result.foldBaselineAnonymousMiB = Double(fold.baselineAnonymousKiB) / 1024
        result.foldPeakAnonymousMiB = Double(fold.peakAnonymousKiB) / 1024
        result.foldPeakResidentMiB = Double(fold.peakResidentKiB) / 1024

        Log.say("\(size): verify…")
        let verify = try SvledgerVerify.run(ledger)
        result.verifyEventsPerSecond = Double(verify.events) / verify.seconds
        result.verifySeconds = verify.seconds

        Log.say("\(size): Merkle proofs…")
        let proofs = try SvledgerProofs.run(ledger, seed: options.seed)
        result.inclusionProofMicroseconds = proofs.inclusionMedian
        result.inclusionProofP99Microseconds = proofs.inclusionP99
        result.consistencyProofMicroseconds = proofs.consistencyMedian
        result.consistencyProofP99Microseconds = proofs.consistencyP99

        Log.say("\(size): reports…")
        let reports = try ReportTiming.run(ledger)
        result.snapshotMilliseconds = reports.snapshotSeconds * 1000
        result.reconciliationMilliseconds = reports.reconciliationSeconds * 1000
        result.cabinetRenderMilliseconds = reports.cabinetRenderSeconds * 1000
        result.cabinetTotalMilliseconds = reports.cabinetTotalSeconds * 1000
        result.cabinetBytes = reports.cabinetBytes
        result.checkedViewMilliseconds = reports.checkedViewSeconds * 1000
        result.reconciledContracts = reports.contracts

        try measurePeers(ledger: ledger, head: head, options: options, into: &result)

        result.contracts = try ledger.store.read { try $0.streamIds(withPrefix: "contract/").count }

        result.wallSeconds = Stopwatch.seconds(since: started)
        result.loadAverageAtEnd = Machine.loadAverage()
        return result
    }

    /// Replays svledger's stored bytes into raw LMDB and SQLite, batch by batch. Reading a
    /// batch out of the ledger is untimed; each store's write of it is timed on its own.
    static func measurePeers(ledger: Ledger, head: LedgerHead, options: Options, into result: inout SizeResult) throws {
        Log.say("\(result.requestedEvents): raw LMDB and SQLite bulk append of the same bytes…")
        let source = try StoredEnvelopes(store: ledger.store)
        let raw = try RawLMDBLog(label: "raw-\(result.requestedEvents)")
        defer { raw.close() }
        let sqlite = try SQLiteLog(label: "sqlite-\(result.requestedEvents)")
        var rawSeconds = 0.0, sqliteSeconds = 0.0, bytes = 0
        var firstEvents: [StoredEnvelope] = []
        try source.forEachBatch(of: batchSize) { batch in
            if firstEvents.count < options.commits { firstEvents += batch.prefix(options.commits - firstEvents.count) }
            bytes += batch.reduce(0) { $0 + $1.canonical.count }
            rawSeconds += try Stopwatch.time { try raw.append(batch) }.seconds
            sqliteSeconds += try Stopwatch.time { try sqlite.append(batch) }.seconds
        }
        try raw.checkHead(against: head.hash)
        try sqlite.checkHead(against: head.hash)
        result.averageEnvelopeBytes = Double(bytes) / Double(raw.count)
        result.rawBulkEventsPerSecond = Double(raw.count) / rawSeconds
        result.sqliteBulkEventsPerSecond = Double(sqlite.count) / sqliteSeconds

        Log.say("\(result.requestedEvents): raw LMDB scan + hash, scan + hash + decode; SQLite replay…")
        let (scanned, scanSeconds) = try Stopwatch.time { try raw.scanAndHash() }
        result.rawScanHashEventsPerSecond = Double(scanned) / scanSeconds
        let (decoded, decodeSeconds) = try Stopwatch.time { try raw.scanHashAndDecode() }
        result.rawReplayEventsPerSecond = Double(decoded) / decodeSeconds
        let (replayed, replaySeconds) = try Stopwatch.time { try sqlite.replay() }
        result.sqliteReplayEventsPerSecond = Double(replayed) / replaySeconds

        // The synced-commit measurements run back to back, after the peers' bulk writes are
        // flushed, so that background writeback slows none of them more than another.
        sync()
        Log.say("\(result.requestedEvents): one event per synced commit: raw LMDB, svledger, SQLite (\(firstEvents.count) commits)…")
        result.singleCommits = firstEvents.count
        result.rawSingleCommitsPerSecond = try RawLMDBSingleCommits.run(firstEvents[...])
        let single = try SvledgerSingleAppend.run(ledger, commands: options.commits)
        result.singleAppendCommitsPerSecond = single.remembered
        result.singleAppendFirstTouchCommitsPerSecond = single.firstTouch
        result.sqliteSingleCommitsPerSecond = try SQLiteSingleCommits.run(firstEvents[...])

        Log.say("\(result.requestedEvents): storage alone: EventStore.append of the same events, batches of \(batchSize) and one per synced commit…")
        let store = try StorageOnlyAppend.run(source: ledger.store, batchSize: batchSize, singleCommits: firstEvents.count)
        result.storeBulkEventsPerSecond = store.bulkEventsPerSecond
        result.storeSingleCommitsPerSecond = store.singleCommitsPerSecond
    }
}
