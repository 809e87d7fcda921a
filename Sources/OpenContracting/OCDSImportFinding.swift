/// Something the import noticed in a notice: a field it does not map, a value it cannot take,
/// a default it used, or a step already in the ledger. Reported, never guessed around.
public struct OCDSImportFinding: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A field svledger has no place for (a second lot, documents, procurement details).
        case notMapped = "not-mapped"
        /// A field svledger works out itself by its rules (threshold text, a published KPI rating, social value £), so the
        /// published one is not taken.
        case recomputed
        /// A value in a currency other than pounds sterling.
        case unsupportedCurrency = "unsupported-currency"
        /// A value that does not read: an amount, a date, a quantity, a category.
        case invalidValue = "invalid-value"
        /// Something a command needs that the notice does not give (and no flag supplied).
        case missingField = "missing-field"
        /// A value taken from a flag or from the ledger because the notice has no such field.
        case defaulted
        /// A value a later release of the same notice corrects (an `awardUpdate`): the later one
        /// is recorded, and the finding names both.
        case superseded
        /// A step of the notice the ledger already holds: nothing is recorded for it again.
        case alreadyRecorded = "already-recorded"
        /// The notice says something different from what the ledger already recorded.
        case conflictsWithLedger = "conflicts-with-ledger"
        /// An awarded notice with no weighting, registered as a running contract with its supplier.
        case registeredAsRunning = "registered-as-running"
        /// Delivery figures, recorded only when the importer confirms their attribution.
        case attributionNotConfirmed = "attribution-not-confirmed"
        /// A step the notice records that an import cannot record (an exemption, decided by the
        /// role its policy names): the contract is not imported as if the step had not happened.
        case notImported = "not-imported"
        /// A command of the plan that a rule would refuse (the dry run's preview of `decide`).
        case refusedByRule = "refused-by-rule"

        /// Whether the finding stops the import: anything that would otherwise be guessed.
        public var blocks: Bool {
            switch self {
            case .notMapped, .recomputed, .defaulted, .superseded, .alreadyRecorded, .registeredAsRunning: false
            case .unsupportedCurrency, .invalidValue, .missingField, .conflictsWithLedger, .attributionNotConfirmed, .refusedByRule, .notImported: true
            }
        }
    }

    public let kind: Kind
    /// The notice's ocid, or nil for the package as a whole.
    public let ocid: String?
    /// Where in the file, e.g. `releases[2].tender.value.currency`.
    public let path: String
    public let message: String

    public init(_ kind: Kind, ocid: String?, path: String, _ message: String) {
        self.kind = kind
        self.ocid = ocid
        self.path = path
        self.message = message
    }

    public var blocks: Bool { kind.blocks }
}
