import EventStore
import LedgerValues
import LMDB
import SocialValue

/// The read models kept in the ledger's own LMDB environment, beside the log:
/// - `projection-contracts`: contract reference → its ``ContractProjection`` in the binary
///   form of ``ProjectionCodec``, decoded in place from the map;
/// - `projection-meta`: `position` → the last log position the projections reflect, and
///   `format` → the ``ProjectionCodec`` version they are written in (one byte).
///
/// They are written in the same write transaction as the events they reflect (the append's
/// hook), so they are never behind the log and a crash cannot split them from it.
public final class ProjectionStore: Sendable {
    let store: EventStore
    let contracts: Database
    let meta: Database
    static let positionKey = Array("position".utf8)
    static let formatKey = Array("format".utf8)
    let recent = RecentProjections()

    /// Opens the projection databases, creating them when the ledger is writable.
    /// - Throws: ``ProjectionError/missing`` for a read-only ledger that has none.
    public init(store: EventStore) throws {
        self.store = store
        let flags: DatabaseFlags = store.environment.isReadOnly ? [] : [.create]
        do {
            contracts = try store.environment.openDatabase("projection-contracts", flags: flags)
            meta = try store.environment.openDatabase("projection-meta", flags: flags)
        } catch LMDBError.notFound {
            throw ProjectionError.missing
        }
        // A new ledger's (empty) projections are current in this format from the start.
        if !store.environment.isReadOnly {
            try store.environment.write { txn in
                if try txn.get(meta, key: Self.formatKey) == nil, try store.reader(for: txn).head().position == 0 {
                    try txn.put(meta, key: Self.formatKey, value: [ProjectionCodec.formatVersion])
                }
            }
        }
    }

    // MARK: - Live updates

    /// Folds newly appended events into the stored projections. Call it from the append's
    /// hook, inside the same write transaction.
    /// - Returns: the projections written, to hand to ``committed(_:)`` once the append commits.
    /// - Parameter decided: typed events already known by event id (the live path has them);
    ///   others are decoded from their payloads.
    /// Projections that do not reflect the log up to just before `events` (never built, or left
    /// by an older version's interrupted rebuild) are left as they are: folding into them would
    /// mark incomplete projections as current. Reads then replay the log, and `svledger
    /// rebuild` (run by any writing command that finds them behind) recomputes them.
    @discardableResult
    public func apply(_ events: [RecordedEvent], reader: LedgerReader, decided: [EventID: ContractEvent] = [:]) throws -> [ContractProjection] {
        guard let first = events.first, try isCurrent(reader: reader, head: first.position - 1) else { return [] }
        var fold = ContractFold()
        var touched = Set<String>()
        for event in events {
            if let reference = ContractFold.contractReference(ofStream: event.streamId), !touched.contains(reference),
                let stored = try current(reference, before: event, reader: reader)
            {
                fold.seed(stored)
            }
            if let reference = try fold.apply(event, decided: decided[event.eventId]) { touched.insert(reference) }
        }
        let written = try touched.sorted().map { reference in
            guard let projection = fold.contracts[reference] else {
                throw ProjectionError.differs("contract \(reference)", "has events but no stored projection to fold them into")
            }
            return projection
        }
        for projection in written { try save(projection, in: reader.transaction) }
        if let last = events.last { try reader.transaction.put(meta, key: Self.positionKey, value: Bytes.bigEndian(last.position)) }
        return written
    }

    /// Remembers projections an append wrote, once it has committed (never before: an aborted
    /// append's projection must not be reused).
    public func committed(_ projections: [ContractProjection]) { recent.remember(projections) }

    /// The contract's projection just before `event`: the one this process last committed if
    /// it is still the stored one, else the stored one decoded. The check is by stream
    /// version and log position, which a committed event never shares with another.
    func current(_ reference: String, before event: RecordedEvent, reader: LedgerReader) throws -> ContractProjection? {
        let previousVersion = event.streamVersion - 1
        if previousVersion > 0, let remembered = recent.projection(reference, version: previousVersion),
            try reader.position(inStream: event.streamId, version: previousVersion) == remembered.position
        {
            return remembered
        }
        return try load(reference, reader: reader)
    }

    // MARK: - Reads

    /// The position the stored projections reflect.
    public func position(reader: LedgerReader) throws -> UInt64 {
        try reader.transaction.get(meta, key: Self.positionKey).flatMap(Bytes.readBigEndian) ?? 0
    }

    public func load(_ reference: String, reader: LedgerReader) throws -> ContractProjection? {
        // The body of `withValue` may throw only LMDB's errors: carry the decoding's out.
        let decoded = try reader.transaction.withValue(in: contracts, key: Array(reference.utf8)) { value in
            value.map { bytes in Result { () throws(ProjectionError) in try Self.decode(bytes, reference: reference) } }
        }
        return try decoded?.get()
    }

    /// Every stored contract projection, in reference order.
    public func all(reader: LedgerReader) throws -> [ContractProjection] {
        try reader.transaction.withCursor(contracts) { cursor in
            var result: [ContractProjection] = []
            result.reserveCapacity(Int(try reader.transaction.statistics(contracts).entries))
            var entry = try cursor.first()
            while let current = entry {
                result.append(try Self.decode(current.value, reference: String(decoding: current.key, as: UTF8.self)))
                entry = try cursor.next()
            }
            return result
        }
    }

    // MARK: - Rebuild and verification

    /// Drops the projections and recomputes them from position 1, in one write transaction.
    ///
    /// One transaction makes the rebuild all or nothing: readers go on seeing the previous
    /// projections (complete at their position) until it commits, no writer can interleave
    /// with it (LMDB has one writer at a time, so appends wait for it), and a rebuild that is
    /// killed leaves the ledger as it found it. (It used to commit every 50,000 events; a
    /// writer in between then marked half-built projections as current, and reads trusted them.)
    ///
    /// Memory stays bounded whatever the length of the log: at most `cacheLimit` contracts are
    /// held (the least recently used is written into the transaction and read back if needed),
    /// and LMDB spills the transaction's dirty pages to the file when they grow large. When the
    /// map fills, the transaction is rolled back and run again from the start.
    ///
    /// (Decoding on a second thread was tried: on this machine it was slower, 0.53 s against
    /// 0.42 s for 100,000 events, as events built on one core and freed on the other cost more
    /// than the parsing saved.)
    /// - Parameter progress: called every 50,000 events with the position reached.
    /// - Returns: how many events were read and contracts written.
    @discardableResult
    public func rebuild(cacheLimit: Int = 256, progress: ((UInt64) -> Void)? = nil) throws -> (events: UInt64, contracts: Int) {
        recent.forget()
        let result = try store.environment.write { txn in
            try txn.empty(contracts)
            try txn.empty(meta)
            var cache = ContractCache(limit: cacheLimit)
            var last: UInt64 = 0
            let reader = store.reader(for: txn)
            try reader.forEachEvent { event in
                if let reference = ContractFold.contractReference(ofStream: event.streamId), !cache.holds(reference),
                    let stored = try load(reference, reader: reader)
                {
                    cache.fold.seed(stored)
                }
                if let reference = try cache.fold.apply(event) {
                    cache.touch(reference)
                    for evicted in cache.evictions() { try save(evicted, in: txn) }
                }
                last = event.position
                if last % 50_000 == 0 { progress?(last) }
                return true
            }
            for projection in cache.fold.contracts.values { try save(projection, in: txn) }
            if last > 0 { try txn.put(meta, key: Self.positionKey, value: Bytes.bigEndian(last)) }
            try txn.put(meta, key: Self.formatKey, value: [ProjectionCodec.formatVersion])
            return (last, try txn.statistics(contracts).entries)
        }
        recent.forget()
        return result
    }

    /// True when the stored projections reflect the whole log, in this version's format: only
    /// then may a read use them, and an append fold into them.
    public func isCurrent() throws -> Bool {
        try store.read { reader in try isCurrent(reader: reader, head: reader.head().position) }
    }

    /// True when the stored projections reflect the log through `head`, in this version's format.
    public func isCurrent(reader: LedgerReader, head: UInt64) throws -> Bool {
        try position(reader: reader) == head && reader.transaction.get(meta, key: Self.formatKey) == [ProjectionCodec.formatVersion]
    }

    /// Replays the whole log in memory and compares the result with the stored projections.
    /// - Throws: ``ProjectionError/differs(_:_:)`` naming the first projection that differs.
    public func verifyAgainstReplay() throws {
        try store.read { reader in
            var fold = ContractFold()
            var last: UInt64 = 0
            try reader.forEachEvent { event in
                try fold.apply(event)
                last = event.position
                return true
            }
            try compare(fold, through: last, reader: reader)
        }
    }

    /// Compares the stored projections with `fold`, the replay of the log through `last`,
    /// read in the same snapshot as `reader` (`svledger verify` folds during its chain walk).
    /// - Throws: ``ProjectionError/differs(_:_:)`` naming the first projection that differs.
    public func compare(_ fold: ContractFold, through last: UInt64, reader: LedgerReader) throws {
        let stored = try position(reader: reader)
        guard stored == last else { throw ProjectionError.differs("projection-meta/position", "records position \(stored), the log ends at \(last)") }
        let format = try reader.transaction.get(meta, key: Self.formatKey)
        guard last == 0 || format == [ProjectionCodec.formatVersion] else {
            throw ProjectionError.outdated(format.map { "version \($0.first ?? 0)" } ?? "an older version")
        }
        var seen = Set<String>()
        try reader.transaction.withCursor(contracts) { cursor in
            var entry = try cursor.first()
            while let current = entry {
                let reference = String(decoding: current.key, as: UTF8.self)
                seen.insert(reference)
                guard let replayed = fold.contracts[reference] else {
                    throw ProjectionError.differs("contract \(reference)", "is stored but no events create it")
                }
                // Compared as bytes: the encoding is deterministic and keeps what `==` does not
                // (a decimal's scale), and encoding the replay is cheaper than decoding the store.
                if !ProjectionCodec.encode(replayed).elementsEqual(current.value) {
                    let decoded = try Self.decode(current.value, reference: reference)
                    throw ProjectionError.differs("contract \(reference)", Self.firstDifference(decoded, replayed))
                }
                entry = try cursor.next()
            }
        }
        if let missing = fold.contracts.keys.sorted().first(where: { !seen.contains($0) }) {
            throw ProjectionError.differs("contract \(missing)", "is missing from the stored projections")
        }
    }

    /// The first figure that differs, in words: a delivered or committed quantity by quarter
    /// and measure with both values, else the field's name.
    static func firstDifference(_ stored: ContractProjection, _ replayed: ContractProjection) -> String {
        for (s, r) in zip(stored.deliveries, replayed.deliveries) where s != r {
            let at = "\(r.measure) in \(r.quarter)"
            if s.quarter != r.quarter || s.measure != r.measure { return "a delivered figure for \(s.measure) in \(s.quarter) where the log gives \(at)" }
            if s.quantity != r.quantity { return "delivered \(at): stored \(s.quantity), the log gives \(r.quantity)" }
            if s.evidence != r.evidence { return "evidence for \(at): stored \"\(s.evidence)\", the log gives \"\(r.evidence)\"" }
            return "the delivered figure for \(at) (its flags or source)"
        }
        if stored.deliveries.count != replayed.deliveries.count {
            return "\(stored.deliveries.count) delivered figures stored, the log gives \(replayed.deliveries.count)"
        }
        for (s, r) in zip(stored.lines, replayed.lines) where s != r {
            if s.original != r.original { return "pledged \(s.measure): stored \(Self.describe(s.original)), the log gives \(Self.describe(r.original))" }
            if s.current != r.current { return "committed \(s.measure): stored \(Self.describe(s.current)), the log gives \(Self.describe(r.current))" }
            return "commitment line \(s.measure)"
        }
        let a = Mirror(reflecting: stored).children, b = Mirror(reflecting: replayed).children
        for (left, right) in zip(a, b) where String(describing: left.value) != String(describing: right.value) {
            return "field \(left.label ?? "?"): stored \(String(describing: left.value).prefix(80)), the log gives \(String(describing: right.value).prefix(80))"
        }
        return "encoding"
    }

    private static func describe(_ figure: ContractProjection.Figure?) -> String {
        guard let figure else { return "none" }
        return "\(figure.quantity)\(figure.value.map { " (\($0.formatted))" } ?? "")"
    }

    // MARK: - Encoding

    func save(_ projection: ContractProjection, in txn: Transaction) throws {
        try txn.put(contracts, key: Array(projection.reference.utf8), value: ProjectionCodec.encode(projection))
    }

    /// Decodes a stored value, which may be borrowed from the map (valid only in its transaction).
    /// - Throws: ``ProjectionError/differs(_:_:)`` saying why the value does not decode.
    static func decode(_ bytes: UnsafeRawBufferPointer, reference: @autoclosure () -> String) throws(ProjectionError) -> ContractProjection {
        do {
            return try ProjectionCodec.decode(bytes)
        } catch {
            throw ProjectionError.differs("contract \(reference())", "stored projection does not decode: \(error)")
        }
    }
}

/// The contracts a rebuild holds in memory: at most `limit`, the least recently touched
/// handed back for writing when a new one would pass it.
struct ContractCache {
    let limit: Int
    var fold = ContractFold()
    private var lastTouched: [String: UInt64] = [:]
    private var clock: UInt64 = 0

    init(limit: Int) { self.limit = max(1, limit) }

    /// By key alone: looking the value up would copy the projection (and retain all it holds).
    func holds(_ reference: String) -> Bool { fold.contracts.index(forKey: reference) != nil }

    mutating func touch(_ reference: String) {
        clock += 1
        lastTouched[reference] = clock
    }

    /// Removes and returns the least recently touched contracts beyond the limit.
    mutating func evictions() -> [ContractProjection] {
        var evicted: [ContractProjection] = []
        while fold.contracts.count > limit, let oldest = lastTouched.min(by: { $0.value < $1.value })?.key {
            lastTouched[oldest] = nil
            if let projection = fold.remove(oldest) { evicted.append(projection) }
        }
        return evicted
    }
}

/// Why the projections cannot be used as they are.
public enum ProjectionError: Error, Equatable, CustomStringConvertible {
    case missing
    case differs(String, String)
    /// Written by an older svledger, in a format this one does not read: not a finding.
    case outdated(String)

    public var description: String {
        switch self {
        case .missing: "this ledger has no projections; run `svledger rebuild`"
        case .outdated(let format): "the projections are in \(format) of their format, not this svledger's \(ProjectionCodec.formatVersion); run `svledger rebuild` (any writing command also does it first)"
        case .differs(let name, let problem):
            "possible tampering: the stored projection of \(name) does not match the log: \(problem). Figures read from it would not be "
                + "the log's, so none are shown. Check the log with `svledger verify` and tools/verify_ledger.py, find out who could write the "
                + "ledger file, keep a copy for evidence, then `svledger rebuild` recomputes the projections from the log"
        }
    }
}

extension ProjectionError: CategorizedError {
    public var kind: String {
        switch self {
        case .missing: "projections-missing"
        case .differs: "projection-differs"
        case .outdated: "projections-outdated"
        }
    }
    /// Projections are a cache of the log: wrong ones are an integrity finding, which
    /// `svledger rebuild` repairs from the log.
    public var category: ErrorCategory { .integrity }
}
