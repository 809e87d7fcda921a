import LedgerValues
import SocialValue

/// What the import needs besides the notices: flags, and who acts.
public struct OCDSImportOptions: Sendable {
    /// The policy a new contract is registered under; nil: the one policy the ledger has adopted.
    public var policyId: String?
    /// The catalog a pledge is priced with (id or id@version); nil: the one catalog published.
    public var catalog: String?
    /// Areas served, for a notice that names no delivery address or location.
    public var areas: [String]
    public var actor: ActorIdentity
    /// Why; nil: each command says which release of which notice it came from.
    public var reason: String?
    /// The importer confirms that the published delivery figures belong to their contracts.
    public var attributionConfirmed: Bool
    /// The day "a quarter that has not ended" is judged against.
    public var today: CalendarDate
    /// The contract id for a package of one notice, in place of the one its ids give.
    public var contractId: String?
    /// Which of an award's suppliers the contract is for (a framework names several; svledger
    /// records one contract per supplier); nil: the first.
    public var supplier: String?

    public init(
        policyId: String? = nil, catalog: String? = nil, areas: [String] = [], actor: ActorIdentity, reason: String? = nil,
        attributionConfirmed: Bool = false, today: CalendarDate, contractId: String? = nil, supplier: String? = nil
    ) {
        self.contractId = contractId
        self.supplier = supplier
        self.policyId = policyId
        self.catalog = catalog
        self.areas = areas
        self.actor = actor
        self.reason = reason
        self.attributionConfirmed = attributionConfirmed
        self.today = today
    }
}

/// The commands an OCDS release package becomes, each already judged by `decide` against the
/// ledger's state (and the commands before it), with the findings.
///
/// Pure: it reads the ledger only through the states and reference data it is given, so the
/// dry run and the import plan the same way, and the import then records the same commands
/// through the Ledger, where every rule is checked again in one all-or-nothing batch.
public struct OCDSImportPlan: Sendable {
    public struct Step: Sendable {
        public let ocid: String
        public let reference: String
        public let releaseId: String
        public let command: ContractCommand
        /// The event `decide` gave for it, as `svledger log` would describe it.
        public let eventType: String
        public let summary: String
    }

    /// One notice's outcome: how many commands, and what kept the rest back.
    public struct NoticeSummary: Sendable {
        public let ocid: String
        public let reference: String
        public let releases: Int
        public let steps: Int
        public let blocked: Bool
    }

    public private(set) var steps: [Step] = []
    public private(set) var findings: [OCDSImportFinding] = []
    public private(set) var notices: [NoticeSummary] = []

    public var blocking: [OCDSImportFinding] { findings.filter(\.blocks) }
    public var commands: [LedgerCommand] { steps.map { .contract($0.command) } }

    /// - Parameters:
    ///   - knownAs: the contract the ledger holds under an ocid (its `ocid` identifier, kept by an
    ///     earlier import), if any: a later release of that process continues that contract.
    ///   - recorded: what the ledger holds of a contract (nothing, when unregistered).
    public init(
        package: OCDSReleasePackage, reference: ReferenceData, options: OCDSImportOptions,
        knownAs: (String) throws -> String? = { _ in nil },
        recorded: (String) throws -> OCDSRecordedContract
    ) rethrows {
        for notice in package.notices {
            let known = options.contractId == nil ? try knownAs(notice.ocid) : nil
            var planner = NoticePlanner(notice: notice, reference: reference, options: options, known: known)
            try planner.plan(recorded(planner.reference))
            steps += planner.steps
            findings += planner.reader.findings
            notices.append(NoticeSummary(
                ocid: notice.ocid, reference: planner.reference, releases: notice.releases.count, steps: planner.steps.count,
                blocked: planner.reader.findings.contains(where: \.blocks)))
        }
    }

    /// The contract reference of an ocid written `<prefix>-<reference>` with an OCDS prefix
    /// (`ocds-` and the publisher's code): `ocds-svledger-LCC-2025-014` → `LCC-2025-014`.
    public static func reference(fromOcid ocid: String) -> String {
        guard ocid.hasPrefix("ocds-") else { return ocid }
        let rest = ocid.dropFirst(5)
        guard let dash = rest.firstIndex(of: "-") else { return ocid }
        let reference = rest[rest.index(after: dash)...]
        return reference.isEmpty ? ocid : String(reference)
    }
}

/// A contract as the ledger holds it: its state, and its events' ids in the order recorded.
/// The order matters because two events recorded in the same millisecond have ids that do not
/// sort by time, and a return must come before the corrections of it.
public struct OCDSRecordedContract: Sendable {
    public let state: ContractState
    public let order: [EventID]

    public init(state: ContractState = ContractState(), order: [EventID] = []) {
        self.state = state
        self.order = order
    }
}
