import LedgerValues
import Projections
import SocialValue

/// Why a Cabinet report cannot be made as asked.
public struct CabinetReportError: CategorizedError, Equatable {
    public enum Kind: String, Sendable {
        /// The ledger holds several councils and none was chosen.
        case councilRequired = "council-required"
        /// `--council` names no council of the ledger.
        case unknownCouncil = "unknown-council"
        /// `--directorate` names no directorate of the council.
        case unknownDirectorate = "unknown-directorate"
        /// The narrative file does not read, or names a contract the report does not cover.
        case invalidNarrative = "invalid-narrative"
    }

    public let reason: Kind
    public let message: String

    public init(_ reason: Kind, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var kind: String { reason.rawValue }
    public var category: ErrorCategory {
        switch reason {
        case .councilRequired: .usage
        case .unknownCouncil, .unknownDirectorate: .notFound
        case .invalidNarrative: .input
        }
    }
    public var description: String { message }
}

/// A council as the report knows it: described in the ledger (``Council``), or only named by a
/// policy (then the report says what it lacks: "none given").
public struct CabinetCouncil: Sendable, Equatable {
    /// The id of a described council; `nil` for one only a policy names.
    public let id: String?
    public let name: String
    public let description: Council?

    /// Every council of the ledger: each described one, then each council a policy names that no
    /// description has the name of, by name.
    public static func all(_ reference: ReferenceData) -> [CabinetCouncil] {
        let described = reference.describedCouncils
        var councils = described.map { CabinetCouncil(id: $0.id, name: $0.name, description: $0) }
        var named: [String] = []
        for versions in reference.policies.values {
            guard let name = versions.last?.council else { continue }
            if described.contains(where: { $0.isNamed(name) }) || named.contains(where: { Council.key($0) == Council.key(name) }) { continue }
            named.append(name)
        }
        councils += named.sorted().map { CabinetCouncil(id: nil, name: $0, description: nil) }
        return councils
    }

    /// "lancashire (Lancashire County Council)", or the name alone.
    var label: String { id.map { "\($0) (\(name))" } ?? name }
}

/// What the report covers: one council's contracts, or one directorate of them. A contract
/// belongs to the council its policy names (the policy version its threshold assessment used,
/// else the latest adopted); a directorate is the contracts' buying department.
public struct CabinetScope: Sendable {
    /// The council, or `nil` when the report covers every contract: the ledger names no
    /// council, or a caller that chooses none reports on a ledger of several.
    public let council: CabinetCouncil?
    /// The directorate, spelt as the council lists it (else as the first contract gives it).
    public let directorate: String?
    /// The contracts covered, as the snapshot holds them, by reference.
    public let contracts: [ContractProjection]
    private let references: Set<String>

    public func covers(_ reference: String) -> Bool { references.contains(reference) }

    /// The scope the caller asked for.
    /// - Parameters:
    ///   - council: a council's id or name (ignoring case); `nil` chooses the only council.
    ///   - directorate: a directorate's name (ignoring case), or `nil` for the whole council.
    /// - Throws: ``CabinetReportError`` when the council must be chosen or is not known, or the
    ///   directorate is not the council's.
    public static func resolve(_ snapshot: Snapshot, council: String?, directorate: String?) throws(CabinetReportError) -> CabinetScope {
        let councils = CabinetCouncil.all(snapshot.reference)
        let chosen: CabinetCouncil?
        if let council {
            let key = Council.key(council)
            guard let found = councils.first(where: { ($0.id.map(Council.key) == key) || Council.key($0.name) == key }) else {
                throw CabinetReportError(
                    .unknownCouncil,
                    "no council \(DisplayText.quoted(council)) in this ledger; "
                        + (councils.isEmpty ? "it names none yet (svledger council describe)" : "its councils: \(councils.map(\.label).joined(separator: "; "))"))
            }
            chosen = found
        } else if councils.count > 1 {
            throw CabinetReportError(
                .councilRequired,
                "this ledger holds \(councils.count) councils (\(councils.map(\.label).joined(separator: "; "))); choose one with --council")
        } else {
            chosen = councils.first
        }
        return try CabinetScope(snapshot, council: chosen, directorate: directorate)
    }

    /// Every contract of the ledger, under the only council when there is one: for callers
    /// that choose nothing (the benchmark, older tests). The CLI always resolves a scope.
    public static func everything(_ snapshot: Snapshot) -> CabinetScope {
        if let scope = try? resolve(snapshot, council: nil, directorate: nil) { return scope }
        return CabinetScope(council: nil, directorate: nil, contracts: snapshot.contracts)
    }

    private init(council: CabinetCouncil?, directorate: String?, contracts: [ContractProjection]) {
        self.council = council
        self.directorate = directorate
        self.contracts = contracts
        // By index: `map` hands its closure a copy of each contract (a retain of each of its fields).
        references = Set(contracts.indices.map { contracts[$0].reference })
    }

    private init(_ snapshot: Snapshot, council: CabinetCouncil?, directorate: String?) throws(CabinetReportError) {
        var contracts = snapshot.contracts
        if let council {
            // Whether a policy version names the council, asked once per version, not once per
            // contract (each look-up copied the policy); and the snapshot's own array kept when
            // the council has every contract, as a ledger of one council's does.
            let councilKey = Council.key(council.name)
            var names: [PolicyVersion: Bool] = [:]
            let kept = contracts.indices.filter { index in
                let version = PolicyVersion(id: contracts[index].policyId, version: contracts[index].assessment?.policyVersion)
                if let known = names[version] { return known }
                let named = Self.policy(of: contracts[index], in: snapshot.reference).map { Council.key($0.council) == councilKey } ?? false
                names[version] = named
                return named
            }
            if kept.count != contracts.count { contracts = kept.map { contracts[$0] } }
        }
        var spelling: String?
        if let directorate {
            let key = Council.key(directorate)
            let listed = council?.description?.directorates ?? []
            let departments = contracts.map(\.buyerDepartment)
            guard let found = (listed + departments).first(where: { Council.key($0) == key }) else {
                let known = (listed + departments.filter { department in !listed.contains { Council.key($0) == Council.key(department) } })
                let names = known.reduce(into: [String]()) { names, name in if !names.contains(where: { Council.key($0) == Council.key(name) }) { names.append(name) } }
                throw CabinetReportError(
                    .unknownDirectorate,
                    "no directorate \(DisplayText.quoted(directorate)) in \(council?.name ?? "this ledger"); "
                        + (names.isEmpty ? "it has no contracts yet" : "its directorates: \(names.joined(separator: "; "))"))
            }
            spelling = found
            contracts = contracts.filter { Council.key($0.buyerDepartment) == key }
        }
        self.init(council: council, directorate: spelling, contracts: contracts)
    }

    /// A policy and the version a contract's assessment used, if any: what ``policy(of:in:)`` looks up.
    struct PolicyVersion: Hashable {
        let id: String
        let version: String?
    }

    /// The policy a contract is governed by: the version its assessment used, else the latest adopted.
    static func policy(of projection: ContractProjection, in reference: ReferenceData) -> Policy? {
        if let version = projection.assessment?.policyVersion, let policy = reference.policy(projection.policyId, version: version) { return policy }
        return reference.policies[projection.policyId]?.last
    }

    /// The council's name as the report heads it: "Lancashire County Council", "All councils".
    public var councilName: String { council?.name ?? "All contracts in the ledger" }

    /// The theme a catalog theme is reported under: the council's own theme that takes it, else itself.
    func theme(_ catalogTheme: String) -> (name: String, mapped: Bool) {
        guard let description = council?.description, !description.themes.isEmpty else { return (catalogTheme, true) }
        if let theme = description.councilTheme(for: catalogTheme) { return (theme, true) }
        return (catalogTheme, false)
    }

    /// The order of themes: the council's own, as it lists them, then any other by name.
    func themeOrder(_ names: [String]) -> [String] {
        let own = council?.description?.themes.map(\.name) ?? []
        return own.filter { names.contains($0) } + names.filter { !own.contains($0) }.sorted()
    }
}
