import Access

/// What a request asks to do, for the role check. Each route names one operation.
public enum Operation: String, CaseIterable, Sendable {
    case listContracts = "contracts"
    case showContract = "show"
    case contractAudit = "audit"
    case auditSince = "audit-since"
    case reconcile
    case figures
    case log
    case verify
    case cabinetReport = "report-cabinet"
    case command
    case exportNDJSON = "export-ndjson"
    case importPortal = "import-portal"
    case accessList = "access-list"
    case accessCommand = "access"
    case proveInclusion = "prove-inclusion"
    case proveConsistency = "prove-consistency"
    case listEvidence = "evidence-list"
    case readEvidence = "evidence-file"
    case eraseEvidence = "evidence-erase"
    case due
}

/// Which roles may do what over HTTP. A role's own limits are applied by the routes beyond
/// this table: a supplier sees and writes only its own contracts (any other is a 404, so it
/// cannot probe which exist), writes only delivery returns and corrections, and reads the
/// log only of its own contracts and of the reference data. The `access` stream (grants and
/// token hashes) is read by administrators and auditors only.
public enum Authorization {
    /// The council's roles, who record the domain's commands (the policy's named authorities,
    /// such as who decides an exemption, are then checked by the domain against the role).
    public static let councilRoles: Set<Role> = [.procurementOfficer, .contractManager, .headOfProcurement, .procurementBoard]

    public static func allows(_ operation: Operation, _ role: Role) -> Bool {
        switch operation {
        case .listContracts, .showContract, .contractAudit, .reconcile, .log:
            true
        case .proveInclusion, .proveConsistency:
            // Hashes only; the inclusion route limits a supplier to its own events.
            true
        case .auditSince, .figures, .verify, .cabinetReport:
            role != .supplier
        case .exportNDJSON:
            // The whole log: every contract and the access stream, as GET /log without a stream.
            readsWholeLog(role)
        case .importPortal:
            // A pledge is recorded by the council for its supplier, as from the command line.
            councilRoles.contains(role)
        case .accessList:
            readsAccessStream(role)
        case .accessCommand:
            // The domain refuses anyone else too (not-an-administrator); the route says so first.
            role == .administrator
        case .command:
            // Auditors and Cabinet Members only read; an administrator manages access, not contracts.
            councilRoles.contains(role) || role == .supplier
        case .eraseEvidence:
            // Bytes removed for good, perhaps at a person's request: the role that manages access.
            role == .administrator
        case .listEvidence:
            // Which files returns cite (names, sizes, hashes): the administrator, who erases
            // them, too; a supplier only its own contracts' (the route's scope).
            councilRoles.contains(role) || role == .supplier || role == .auditor || role == .administrator
        case .due:
            // What is owed and when: the officers who chase it, those who report on it, and a
            // supplier (its own contracts' only: the route's scope); not the role that manages access.
            role != .administrator
        case .readEvidence:
            // The files themselves may hold personal data: those who check returns read them.
            councilRoles.contains(role) || role == .supplier || role == .auditor
        }
    }

    /// Who may read the `access` stream: it names every account and holds the tokens' hashes.
    public static func readsAccessStream(_ role: Role) -> Bool { role == .administrator || role == .auditor }

    /// Who may read the whole log in one go (it interleaves every contract and the access stream).
    public static func readsWholeLog(_ role: Role) -> Bool { readsAccessStream(role) }
}
