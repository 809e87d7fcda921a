/// Reports and imports: the Cabinet Member report, portal pledge-table import, and exports.
/// They read snapshots and reconciliations from Projections and write only through Ledger.
public enum Reports {}
