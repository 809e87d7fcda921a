/// Everything measured at one size, in one process. Rates are per second; the presenter
/// derives every ratio from these, so ratios always compare runs made side by side.
struct SizeResult: Codable, Sendable {
    var requestedEvents = 0
    var events = 0
    var contracts = 0
    var averageEnvelopeBytes = 0.0
    var ledgerFileMiB = 0.0

    // 1. The limit: raw LMDB.
    var rawBulkEventsPerSecond = 0.0
    var rawSingleCommitsPerSecond = 0.0
    var singleCommits = 0
    var rawScanHashEventsPerSecond = 0.0
    var rawReplayEventsPerSecond = 0.0

    // 2. svledger bulk append.
    var bulkEventsPerSecond = 0.0

    // 3. svledger durable single append.
    /// Later commands on a contract (its decision state remembered by the process).
    var singleAppendCommitsPerSecond = 0.0
    /// The first command on each contract (its stream replayed to decide).
    var singleAppendFirstTouchCommitsPerSecond = 0.0

    // 4. Fold.
    var foldEventsPerSecond = 0.0
    var foldBaselineAnonymousMiB = 0.0
    var foldPeakAnonymousMiB = 0.0
    var foldPeakResidentMiB = 0.0

    // 5. Verify.
    var verifyEventsPerSecond = 0.0
    var verifySeconds = 0.0
    /// Merkle proofs at the head, microseconds each: median and 99th percentile of 1,000.
    var inclusionProofMicroseconds = 0.0
    var inclusionProofP99Microseconds = 0.0
    var consistencyProofMicroseconds = 0.0
    var consistencyProofP99Microseconds = 0.0

    // 6. Reports.
    var snapshotMilliseconds = 0.0
    var reconciliationMilliseconds = 0.0
    var cabinetRenderMilliseconds = 0.0
    var cabinetTotalMilliseconds = 0.0
    /// The checked read `report cabinet` makes first (snapshot replayed and compared, in force, reconciled).
    var checkedViewMilliseconds = 0.0
    var cabinetBytes = 0
    var reconciledContracts = 0

    // 7. The SQLite peer.
    var sqliteBulkEventsPerSecond = 0.0
    var sqliteReplayEventsPerSecond = 0.0
    var sqliteSingleCommitsPerSecond = 0.0

    // 7. Storage alone: EventStore.append of pre-decided events, against the same peer.
    var storeBulkEventsPerSecond = 0.0
    var storeSingleCommitsPerSecond = 0.0

    var wallSeconds = 0.0
    /// The 1-minute load average when this size started and ended: other work on the machine
    /// (these machines are shared) shows here, and makes a size's figures less trustworthy.
    var loadAverageAtStart = 0.0
    var loadAverageAtEnd = 0.0
}

extension SizeResult {
    var bulkVersusRaw: Double { bulkEventsPerSecond / rawBulkEventsPerSecond }
    var singleVersusRaw: Double { singleAppendCommitsPerSecond / rawSingleCommitsPerSecond }
    var singleFirstTouchVersusRaw: Double { singleAppendFirstTouchCommitsPerSecond / rawSingleCommitsPerSecond }
    var verifyVersusRawScan: Double { verifyEventsPerSecond / rawScanHashEventsPerSecond }
    var bulkVersusSQLite: Double { bulkEventsPerSecond / sqliteBulkEventsPerSecond }
    var storeBulkVersusSQLite: Double { storeBulkEventsPerSecond / sqliteBulkEventsPerSecond }
    var storeSingleVersusSQLite: Double { storeSingleCommitsPerSecond / sqliteSingleCommitsPerSecond }
    var foldVersusSQLiteReplay: Double { foldEventsPerSecond / sqliteReplayEventsPerSecond }
    var bulkMicrosecondsPerEvent: Double { 1e6 / bulkEventsPerSecond }
    var foldMicrosecondsPerEvent: Double { 1e6 / foldEventsPerSecond }
    var verifyMicrosecondsPerEvent: Double { 1e6 / verifyEventsPerSecond }
}
