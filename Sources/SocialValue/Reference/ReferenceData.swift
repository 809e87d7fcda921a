import LedgerValues

/// The policies and catalogs adopted into the ledger and the councils described in it, folded
/// from `PolicyAdopted`, `CatalogPublished` and `CouncilDescribed` events. Lookups by date give
/// what was in force then.
public struct ReferenceData: Sendable {
    public private(set) var policies: [String: [Policy]] = [:]
    public private(set) var catalogs: [String: [Catalog]] = [:]
    /// Each council's descriptions, in log order: the last one is the council as now described.
    public private(set) var councils: [String: [Council]] = [:]

    public init() {}

    /// Event types that change reference data.
    public static let policyAdopted = "PolicyAdopted"
    public static let catalogPublished = "CatalogPublished"
    public static let councilDescribed = "CouncilDescribed"

    /// Stream ids: one per policy, one per catalog and one per council.
    public static func stream(policy id: String) -> String { "policy/\(id)" }
    public static func stream(catalog id: String) -> String { "catalog/\(id)" }
    public static func stream(council id: String) -> String { "council/\(id)" }

    /// What the streams of reference data start with.
    public static let streamPrefixes = ["policy/", "catalog/", "council/"]

    // MARK: - Lookups

    /// The version of policy `id` in force on `date`: the latest effective date on or before it
    /// (between equal dates, the one adopted later).
    public func policy(_ id: String, on date: CalendarDate) -> Policy? {
        policies[id]?.enumerated().filter { $0.element.effectiveDate <= date }
            .max { ($0.element.effectiveDate, $0.offset) < ($1.element.effectiveDate, $1.offset) }?.element
    }

    public func policy(_ id: String, version: String) -> Policy? { policies[id]?.first { $0.version == version } }

    /// Why no version of policy `id` was in force on `date`, for a refusal: none was ever
    /// adopted, or its first version took effect later.
    public func policyNotInForce(_ id: String, on date: CalendarDate) -> String {
        let said = "no version of policy \"\(id)\" was in force on \(date)"
        guard let first = policies[id]?.min(by: { $0.effectiveDate < $1.effectiveDate }) else { return said + ": the ledger has not adopted it" }
        return said + ": its first version, \(first.version), took effect on \(first.effectiveDate)"
    }

    /// The cut-offs a contract registered under policy `id` is rated on at `date`: those of the
    /// version in force then, or of its first version when none was yet; svledger's defaults for
    /// a policy the ledger does not hold.
    public func ratingCutOffs(policy id: String, on date: CalendarDate) -> RatingCutOffs {
        (policy(id, on: date) ?? policies[id]?.first)?.ratingCutOffs ?? .standard
    }

    /// Days after a quarter's end its return is given, by the policy version in force on `date`.
    public func returnDueDays(policy id: String, on date: CalendarDate) -> Int {
        (policy(id, on: date) ?? policies[id]?.first)?.returnDueDays ?? Policy.defaultReturnDueDays
    }

    /// Which delivery the contract's policy rates, in the version in force on `date`.
    public func ratedDelivery(policy id: String, on date: CalendarDate) -> RatedDelivery {
        (policy(id, on: date) ?? policies[id]?.first)?.ratedDelivery ?? .claimed
    }

    public func catalog(_ id: String, version: String) -> Catalog? { catalogs[id]?.first { $0.version == version } }

    /// The newest version of catalog `id` published (by effective date, then publication order).
    public func latestCatalog(_ id: String) -> Catalog? {
        catalogs[id]?.enumerated().max { ($0.element.effectiveDate, $0.offset) < ($1.element.effectiveDate, $1.offset) }?.element
    }

    /// Parses `id@version` (or a bare id, meaning its latest version).
    public func catalog(reference: String) -> Catalog? {
        let parts = reference.split(separator: "@", maxSplits: 1).map(String.init)
        return parts.count == 2 ? catalog(parts[0], version: parts[1]) : latestCatalog(parts[0])
    }

    /// The council `id` as last described, if it has been.
    public func council(_ id: String) -> Council? { councils[id]?.last }

    /// Every council as last described, by id.
    public var describedCouncils: [Council] { councils.keys.sorted().compactMap { councils[$0]?.last } }

    // MARK: - Decide and evolve

    /// The event adopting `policy`, or a refusal if its text breaks ``TextRules`` or that version
    /// was adopted with other content.
    public func adopt(_ policy: Policy) throws(DomainError) -> (stream: String, event: DomainEvent) {
        try policy.checkText()
        try Self.refuseReuse(self.policy(policy.id, version: policy.version)?.document, policy.document, "policy \(policy.reference)", "adopted", "rules")
        return (Self.stream(policy: policy.id), DomainEvent(type: Self.policyAdopted, payload: ["policy": policy.document]))
    }

    /// The event publishing `catalog`, or a refusal if its text breaks ``TextRules`` or that
    /// version exists.
    public func publish(_ catalog: Catalog) throws(DomainError) -> (stream: String, event: DomainEvent) {
        try catalog.checkText()
        try Self.refuseReuse(self.catalog(catalog.id, version: catalog.version)?.document, catalog.document, "catalog \(catalog.reference)", "published", "values")
        return (Self.stream(catalog: catalog.id), DomainEvent(type: Self.catalogPublished, payload: ["catalog": catalog.document]))
    }

    /// The event describing `council` (again, if it was described before), or a refusal if its
    /// text breaks ``TextRules`` or another council already goes by its name (a policy names
    /// its council by name, so two councils of one name would make a contract's council unclear).
    public func describe(_ council: Council) throws(DomainError) -> (stream: String, event: DomainEvent) {
        try council.checkText()
        if let other = describedCouncils.first(where: { $0.id != council.id && $0.isNamed(council.name) }) {
            throw DomainError(
                .councilNameTaken,
                "council \(other.id) is already called \(DisplayText.quoted(other.name)); a policy names its council by name, so two councils cannot share one")
        }
        return (Self.stream(council: council.id), DomainEvent(type: Self.councilDescribed, payload: ["council": council.document]))
    }

    /// A version is recorded once: again with the same document is a no-op refused as such,
    /// with another document a mistake (the new content needs a new version).
    private static func refuseReuse(_ existing: JSONValue?, _ document: JSONValue, _ name: String, _ verb: String, _ content: String) throws(DomainError) {
        guard let existing else { return }
        throw DomainError(
            .referenceVersionReused,
            existing == document ? "\(name) is already \(verb)" : "\(name) was \(verb) with different content; give the new \(content) a new version")
    }

    /// Folds one event; events of other types are ignored.
    /// - Throws: ``InputError`` when a stored policy or catalog no longer reads (a corrupt ledger).
    public mutating func evolve(eventType: String, payload: JSONValue) throws(InputError) {
        switch eventType {
        case Self.policyAdopted:
            let policy = try Policy(document: payload["policy"] ?? .null)
            policies[policy.id, default: []].append(policy)
        case Self.catalogPublished:
            let catalog = try Catalog(document: payload["catalog"] ?? .null)
            catalogs[catalog.id, default: []].append(catalog)
        case Self.councilDescribed:
            let council = try Council(document: payload["council"] ?? .null)
            councils[council.id, default: []].append(council)
        default: break
        }
    }
}
