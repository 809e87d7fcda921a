import LedgerValues

/// Open Contracting (OCDS 1.1.5 with the UK profile's extensions): the ledger exported as
/// releases and records, and contracts registered from published notices. docs/open-contracting.md
/// has the mapping.
public enum OpenContracting {
    /// The OCDS version the export declares.
    public static let version = "1.1"
}
