/// The roles of the people who act on a shared ledger. A role's name is what the ledger
/// records as an event's actor role, and what a policy names as an authority ("exemptions are
/// decided by the Head of Procurement"), so the names are the councils' own words.
public enum Role: String, Sendable, CaseIterable, Codable, Comparable {
    case procurementOfficer = "Procurement Officer"
    case contractManager = "Contract Manager"
    case headOfProcurement = "Head of Procurement"
    case procurementBoard = "Procurement Board"
    /// Acts for one supplier organisation, on its own contracts only.
    case supplier = "Supplier"
    /// Reads and verifies everything, changes nothing.
    case auditor = "Auditor"
    /// Reads reports.
    case cabinetMember = "Cabinet Member"
    /// Manages access: grants and revokes roles, issues and revokes tokens.
    case administrator = "Administrator"

    /// The role named by its ledger name (`Head of Procurement`) or its command-line token
    /// (`head-of-procurement`), in any case.
    public init?(named text: String) {
        let wanted = String(text.lowercased().map { $0 == "-" || $0 == "_" ? " " : $0 })
        guard let role = Role.allCases.first(where: { $0.rawValue.lowercased() == wanted }) else { return nil }
        self = role
    }

    /// `head-of-procurement`: how the command line spells it.
    public var token: String { String(rawValue.lowercased().map { $0 == " " ? "-" : $0 }) }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rawValue < rhs.rawValue }
}
