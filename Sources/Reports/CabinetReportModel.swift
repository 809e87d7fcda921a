import LedgerValues
import Projections
import SocialValue

/// What the caller of a Cabinet report chooses: whose report, which meeting, whose words.
public struct CabinetReportRequest: Sendable {
    /// A council's id or name; `nil` for the only council of the ledger.
    public var council: String?
    /// One directorate of the council (its contracts' buying department), or `nil` for all.
    public var directorate: String?
    /// The Cabinet meeting the report goes to.
    public var meeting: CalendarDate?
    /// The author's words; `nil` leaves every part "None given."
    public var narrative: CabinetNarrative?
    /// When the report was made, as the caller wants it printed (the CLI passes UTC ISO 8601).
    public var generatedAt: String

    public init(council: String? = nil, directorate: String? = nil, meeting: CalendarDate? = nil, narrative: CabinetNarrative? = nil, generatedAt: String) {
        self.council = council
        self.directorate = directorate
        self.meeting = meeting
        self.narrative = narrative
        self.generatedAt = generatedAt
    }
}

/// Everything the Cabinet report shows, worked out once from one snapshot and its
/// reconciliations, so that the HTML, Markdown and CSV renderings cannot disagree on a figure.
///
/// Building the model is pure: the same inputs always give the same model, and the renderings
/// are pure functions of the model.
public struct CabinetReportModel: Sendable {
    public let period: FinancialQuarter
    public let reportingDate: CalendarDate
    public let generatedAt: String
    public let meeting: CalendarDate?
    /// The author's narrative, its placeholders filled with the report's figures.
    public private(set) var narrative: CabinetNarrative?
    /// What the reader should know about the narrative: none given, or figures typed by hand
    /// that the ledger cannot vouch for. Printed on the command line and in the provenance.
    public private(set) var narrativeWarnings: [String] = []
    /// The ledger head the report was made from, to check with `svledger verify --expect-head`.
    public let position: UInt64
    public let hash: ChainHash
    /// The Merkle tree root at `position` and the last signed checkpoint, when the caller read
    /// them (the report's module reads no storage).
    public var tree: TreeStatement?
    /// The whole ledger's reconciliation at the period: the figures file and its digest cover it.
    public let reconciliation: Reconciliation
    /// Whose report, and which of its contracts.
    public let scope: CabinetScope
    /// The scope's figures at the period.
    public let figures: CabinetFigures
    /// The same quarter of the year before and the quarter before, for the trend.
    public let comparisons: [CabinetComparison]
    /// Council priorities grouped by the framework they belong to, the council's own first.
    public let priorityGroups: [CabinetPriorityGroup]
    public let exceptions: CabinetExceptions
    public let compliance: CabinetWeightingCompliance
    /// The areas the contracts serve (the electoral divisions affected), by name.
    public let divisions: [String]
    /// Whether the contracts affect every division of the council: one serves its whole area, or
    /// together they serve every division its description lists.
    public let allDivisions: Bool
    /// The priority frameworks of the policies governing the contracts, with their priorities.
    public let corporatePriorities: [(framework: String, priorities: [String])]

    /// The command that proves the ledger still holds what this report was made from.
    public var verifyCommand: String { "svledger verify --expect-head \(headText)" }
    /// The head as `svledger verify --expect-head` takes it: `POSITION:HASH`.
    public var headText: String { "\(position):\(hash.hex)" }
    /// The figures of the whole ledger's reconciliation (Schemas/README.md §10), which hold this
    /// report's contracts' rows.
    /// The figures file the report states the digest of: the read's own when the caller has it
    /// (a ``FigureView``'s), so that a read works it out once, else made once here.
    public let figuresFile: FiguresFile
    /// How anyone recomputes the figures from the log alone and compares the digest.
    public var recomputeCommand: String {
        "python3 tools/reconcile_ledger.py LEDGER --period \(period) --reporting-date \(reportingDate) --through \(position) --digest"
    }

    /// "Social value report 2025-26-Q2: Lancashire County Council".
    public var title: String { "Social value report \(period): \(scopeName)" }
    /// "Lancashire County Council", or "Lancashire County Council, Highways".
    public var scopeName: String { scope.councilName + (scope.directorate.map { ", \($0)" } ?? "") }
    public var council: Council? { scope.council?.description }

    /// The headline column for `window` (every window has one).
    public func headline(_ window: CabinetWindow.Kind) -> CabinetWindow { figures.window(window) }
    /// The headline's columns: the quarter, the year to date, and to date unless it repeats the year to date.
    public var headlineColumns: [CabinetWindow] {
        figures.window(.toDate).sameFigures(as: figures.window(.yearToDate)) ? figures.windows.filter { $0.kind != .toDate } : figures.windows
    }
    /// Whether "to date" is left out of the headline because it repeats the year to date.
    public var toDateIsYearToDate: Bool { headlineColumns.count == 2 }
    public var quarters: [CabinetQuarter] { figures.quarters }

    /// The author's remedial commentary on a contract, or `nil`.
    public func commentary(on contract: String) -> [CabinetNarrative.Block]? { narrative?.contracts[contract] }

    /// A report on the only council of the ledger (every contract, when it has several), with no
    /// narrative: for callers that choose nothing (the benchmark, older tests).
    /// The quarters the trend compares a period with: the same quarter a year before, and the
    /// quarter before.
    public static func comparedQuarters(_ period: FinancialQuarter) -> (lastYear: FinancialQuarter, previous: FinancialQuarter) {
        let lastYear = FinancialQuarter(startYear: period.startYear - 1, number: period.number)!
        let previous = period.number == 1 ? FinancialQuarter(startYear: period.startYear - 1, number: 4)! : FinancialQuarter(startYear: period.startYear, number: period.number - 1)!
        return (lastYear, previous)
    }

    public init(snapshot: Snapshot, reconciliation: Reconciliation, figuresFile: FiguresFile? = nil, comparisons: [Reconciliation]? = nil, generatedAt: String) {
        self.init(snapshot: snapshot, reconciliation: reconciliation, figuresFile: figuresFile, scope: CabinetScope.everything(snapshot),
                  comparisons: comparisons, request: CabinetReportRequest(generatedAt: generatedAt))
    }

    /// - Parameters:
    ///   - snapshot: the ledger read the report is made from.
    ///   - reconciliation: `Reconciliation.compute` of the whole snapshot at the period, as
    ///     `svledger reconcile` computes it (commitments in force at the reporting date).
    ///   - comparisons: the whole snapshot reconciled at the quarter before and at the same
    ///     quarter a year before, each at its last day; `nil` reconciles `snapshot` itself (the CLI
    ///     passes reconciliations of the commitments in force on those days).
    ///   - request: whose report, which meeting, which narrative.
    /// - Throws: ``CabinetReportError`` when the council or directorate cannot be found or must be
    ///   chosen, or the narrative names a contract the report does not cover.
    ///   - figuresFile: the figures file of `reconciliation`, when the caller has made it already.
    public init(
        snapshot: Snapshot, reconciliation: Reconciliation, figuresFile: FiguresFile? = nil, comparisons: [Reconciliation]? = nil,
        request: CabinetReportRequest
    ) throws(CabinetReportError) {
        let scope = try CabinetScope.resolve(snapshot, council: request.council, directorate: request.directorate)
        if let narrative = request.narrative, let stray = narrative.contractOrder.first(where: { !scope.covers($0) }) {
            throw CabinetReportError(
                .invalidNarrative,
                "\(narrative.fileName): the part \"Contract \(stray)\" names a contract this report (\(scope.councilName)\(scope.directorate.map { ", \($0)" } ?? "")) does not cover")
        }
        self.init(snapshot: snapshot, reconciliation: reconciliation, figuresFile: figuresFile, scope: scope, comparisons: comparisons, request: request)
        guard let written = request.narrative else {
            narrativeWarnings = ["no narrative file was given: the report has no recommendation, and every part the author writes reads \"None given.\""]
            return
        }
        let typed = written.writtenTexts.flatMap { place, text in CabinetNarrativeFigures.typed(in: text).map { "\(place): \"\($0)\"" } }
        narrative = try written.filled(with: CabinetNarrativeFigures.values(figures, period: period))
        if written.blocks(.keyDecision) == nil {
            narrativeWarnings.append(
                "the narrative states no key decision: add a \"## Key decision\" part (for example \"This is not deemed to be a Key Decision.\"), which the front sheet prints")
        }
        if !typed.isEmpty {
            narrativeWarnings += [
                "the narrative types \(typed.count == 1 ? "a figure" : "figures") by hand, which the ledger cannot vouch for: \(typed.joined(separator: ", ")); "
                    + "quote the report's figures with placeholders such as {{quarter.capped.percent}} (docs/domain.md, \"The narrative file\")"
            ]
        }
    }

    init(
        snapshot: Snapshot, reconciliation: Reconciliation, figuresFile: FiguresFile?, scope: CabinetScope, comparisons: [Reconciliation]?,
        request: CabinetReportRequest
    ) {
        precondition(snapshot.position == reconciliation.position, "the reconciliation must be made from the same snapshot")
        self.figuresFile = figuresFile ?? FiguresFile(reconciliation)
        period = reconciliation.period
        reportingDate = reconciliation.reportingDate
        generatedAt = request.generatedAt
        meeting = request.meeting
        narrative = request.narrative
        position = snapshot.position
        hash = snapshot.hash
        self.reconciliation = reconciliation
        self.scope = scope
        let (lastYear, previous) = Self.comparedQuarters(period)
        // The trend's figures depend on nothing worked out here: made on another core while
        // this one makes the period's.
        let trend = Later { [snapshot] in
            let others = comparisons ?? [previous, lastYear].map { Reconciliation.linesAlone(snapshot, at: $0) }
            return [(lastYear, "Same quarter last year"), (previous, "Last quarter")].map { quarter, label in
                let found = others.first { $0.period == quarter }
                return CabinetComparison(
                    label: label, quarter: quarter, figures: found.map { CabinetFigures($0, scope: scope, reference: snapshot.reference, detail: false) })
            }
        }
        figures = CabinetFigures(reconciliation, scope: scope, reference: snapshot.reference)
        self.comparisons = trend.wait()

        let policies = Self.policies(scope, reference: snapshot.reference)
        let councilFrameworks = Set(policies.flatMap { $0.priorityFrameworks.keys })
        priorityGroups = CabinetPriorityGroup.grouping(figures.priorities, reference: snapshot.reference, councilFrameworks: councilFrameworks)
        exceptions = CabinetExceptions(contracts: scope.contracts, reconciled: figures.contracts, reportingDate: reconciliation.reportingDate)
        compliance = CabinetWeightingCompliance(contracts: scope.contracts)
        var areas: [String] = []
        var areaKeys: Set<String> = []
        for area in scope.contracts.flatMap(\.areasServed) where areaKeys.insert(Council.key(area)).inserted { areas.append(area) }
        divisions = areas.sorted { $0.lowercased() < $1.lowercased() }
        allDivisions = scope.council?.description?.affectsEveryDivision(areas) ?? false
        var frameworks: [String: [String]] = [:]
        // The council's corporate priorities are those of its adopted policies, not of a draft
        // kept for the contracts let under it.
        for policy in policies where policy.status == .adopted {
            for (framework, names) in policy.priorityFrameworks {
                for name in names where !(frameworks[framework]?.contains(name) ?? false) { frameworks[framework, default: []].append(name) }
            }
        }
        corporatePriorities = frameworks.keys.sorted().map { ($0, frameworks[$0]!) }
    }

    /// The policies governing the contracts in scope (each id once, the version in force for
    /// them), or, with no contract, the policies naming the council.
    static func policies(_ scope: CabinetScope, reference: ReferenceData) -> [Policy] {
        var found: [String: Policy] = [:]
        // Once per policy and version (a look-up copies the policy), each contract read where it
        // is (a loop over the array copies each one, a retain of each of its fields).
        var looked: Set<CabinetScope.PolicyVersion> = []
        let contracts = scope.contracts
        for index in contracts.indices
        where looked.insert(CabinetScope.PolicyVersion(id: contracts[index].policyId, version: contracts[index].assessment?.policyVersion)).inserted {
            if let policy = CabinetScope.policy(of: contracts[index], in: reference), found[policy.id] == nil { found[policy.id] = policy }
        }
        if found.isEmpty, let council = scope.council {
            for versions in reference.policies.values {
                if let policy = versions.last, Council.key(policy.council) == Council.key(council.name) { found[policy.id] = policy }
            }
        }
        return found.keys.sorted().map { found[$0]! }
    }
}

/// The trend: the scope's figures at an earlier quarter, as the ledger holds them now (later
/// corrections included).
public struct CabinetComparison: Sendable {
    public let label: String
    public let quarter: FinancialQuarter
    /// `nil` when no reconciliation of that quarter was given. Only its contracts, ratings,
    /// windows and outcomes are worked out (``CabinetFigures/init(_:scope:reference:detail:)``).
    public let figures: CabinetFigures?
}

/// The council-priority roll-ups of one framework ("Lancashire priorities", "CWB Priority", …).
public struct CabinetPriorityGroup: Sendable, Equatable {
    public struct Priority: Sendable, Equatable {
        /// The priority's name within its framework.
        public let name: String
        public let amounts: Amounts
    }

    public let framework: String
    /// Whether the framework is one of the council's policies' (else only a catalog's).
    public let isCouncils: Bool
    public let priorities: [Priority]

    /// Splits the "framework: priority" keys back into their framework, matching the framework
    /// names the catalogs and the council's policies declare (longest first, so that a framework
    /// whose name contains ": " is still found); a key that matches none is kept whole under
    /// "Other". The council's frameworks come first, each group by name.
    static func grouping(_ rollups: [CabinetRollup], reference: ReferenceData, councilFrameworks: Set<String>) -> [CabinetPriorityGroup] {
        let frameworks = Set(reference.catalogs.values.flatMap { $0.flatMap(\.priorityFrameworks) }).union(councilFrameworks)
            .sorted { $0.count > $1.count }
        var groups: [String: [Priority]] = [:]
        for rollup in rollups {
            if let framework = frameworks.first(where: { rollup.key.hasPrefix($0 + ": ") }) {
                groups[framework, default: []].append(Priority(name: String(rollup.key.dropFirst(framework.count + 2)), amounts: rollup.amounts))
            } else {
                groups["Other", default: []].append(Priority(name: rollup.key, amounts: rollup.amounts))
            }
        }
        return groups.keys.sorted { (councilFrameworks.contains($0) ? 0 : 1, $0) < (councilFrameworks.contains($1) ? 0 : 1, $1) }
            .map { CabinetPriorityGroup(framework: $0, isCouncils: councilFrameworks.contains($0), priorities: groups[$0]!) }
    }
}
