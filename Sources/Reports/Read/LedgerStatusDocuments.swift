import LedgerValues

/// `svledger stats --format json` (Schemas/read/stats.schema.json): the ledger's size.
public enum StatsDocument {
    public static func json(ledger path: String, events: UInt64, streams: UInt64, head: LedgerHead, fileSizeBytes: Int64) -> JSONValue {
        [
            "ledger": .string(path), "events": ReadJSON.integer(events), "streams": ReadJSON.integer(streams),
            "head": head.json, "fileSizeBytes": .integer(fileSizeBytes),
        ]
    }
}

/// `svledger verify --format json` (Schemas/read/verify.schema.json): printed only when every
/// check passed, so `ok` is always true; a failure is an error on stderr with the integrity exit code (docs/errors.md).
public enum VerifyDocument {
    public static func json(events: UInt64, streams: UInt64, head: LedgerHead) -> JSONValue {
        ["ok": true, "events": ReadJSON.integer(events), "streams": ReadJSON.integer(streams), "head": head.json]
    }
}
