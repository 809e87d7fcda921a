import EventStore
import LedgerValues

/// The storage layer alone, set against the SQLite peer on equal terms: `EventStore.append` of
/// events already decided (the generated ledger's own, read back), with everything the store
/// keeps for each (the chain, the stream index with its expected version, the event-id index,
/// the head, the read-back check of every envelope), into a fresh ledger. No domain decision
/// and no projection is in it, so its ratio to SQLite (which holds the same indexes:
/// `event_id UNIQUE`, `UNIQUE(stream, version)`) compares storage with storage, where the
/// bulk-append ratio above sets the whole domain pipeline against SQLite's raw byte inserts.
enum StorageOnlyAppend {
    struct Figures {
        var bulkEventsPerSecond = 0.0
        var singleCommitsPerSecond = 0.0
    }

    static func run(source: EventStore, batchSize: Int, singleCommits: Int) throws -> Figures {
        var figures = Figures()
        let bulk = try TemporaryDirectory("store-bulk")
        defer { bulk.remove() }
        let bulkStore = try EventStore(path: bulk.path, mode: .create)
        var seconds = 0.0, appended = 0, next: UInt64 = 1
        while true {
            // Reading the batch is untimed, as the SQLite peer's is.
            let batch = try appends(from: source, startingAt: next, count: batchSize)
            if batch.isEmpty { break }
            seconds += try Stopwatch.time { try bulkStore.append(batch) }.seconds
            appended += batch.count
            next += UInt64(batch.count)
        }
        figures.bulkEventsPerSecond = Double(appended) / seconds

        let single = try TemporaryDirectory("store-single")
        defer { single.remove() }
        let singleStore = try EventStore(path: single.path, mode: .create)
        let first = try appends(from: source, startingAt: 1, count: singleCommits)
        let (_, singleSeconds) = try Stopwatch.time {
            for append in first { try singleStore.append([append]) }
        }
        figures.singleCommitsPerSecond = Double(first.count) / singleSeconds
        return figures
    }

    /// Up to `count` events from position `start`, each as the append that records it again,
    /// at the stream version it had (so the store checks it, as SQLite's unique index does).
    static func appends(from source: EventStore, startingAt start: UInt64, count: Int) throws -> [StreamAppend] {
        try source.read { reader in
            var batch: [StreamAppend] = []
            batch.reserveCapacity(count)
            try reader.forEachEvent(from: start) { event in
                batch.append(StreamAppend(streamId: event.streamId, expectedVersion: .exact(event.streamVersion - 1), events: [event.event]))
                return batch.count < count
            }
            return batch
        }
    }
}
