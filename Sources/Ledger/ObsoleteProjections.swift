import EventStore
import LMDB

/// Versions before 2026-12 stored each contract's projection beside the log
/// (`projection-contracts`, `projection-meta`), wrote them on every append, and read them only
/// to compare with a fold of the log. Reads now fold the log, so those databases are dead
/// weight, and an edited copy would be a place where figures differ from the chain. A writable
/// ledger that still holds them has them dropped, once, in one write transaction.
enum ObsoleteProjections {
    static let names = ["projection-contracts", "projection-meta"]

    static func drop(from store: EventStore) throws {
        guard !store.environment.isReadOnly else { return }
        // Looked for in a read first: most ledgers never had them, and a write would wait for
        // the writer lock on every open.
        let held = try store.environment.read { txn in names.filter { (try? txn.openDatabase($0)) != nil } }
        guard !held.isEmpty else { return }
        try store.environment.write { txn in
            for name in held { try txn.drop(try txn.openDatabase(name)) }
        }
    }
}
