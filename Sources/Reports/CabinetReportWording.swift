import LedgerValues
import Projections
import SocialValue

/// The sentences the HTML and Markdown renderings share, in plain text (each rendering escapes
/// them its own way), so that the two say the same thing in the same words; the CSV carries the
/// generated ones too.
enum CabinetReportWording {
    typealias Text = CabinetReportText

    static let noneGiven = "None given."
    static let noRecommendation = "This report has no recommendation: it was made without the author's narrative file."

    /// "Social value secured through procurement: quarter 2 of 2025-26".
    static func heading(_ m: CabinetReportModel) -> String {
        "Social value secured through procurement: quarter \(m.period.number) of \(m.period.financialYear)"
            + (m.scope.directorate.map { " (\($0))" } ?? "")
    }

    static func subtitle(_ m: CabinetReportModel) -> String {
        "Quarter \(m.period.number) of the financial year \(m.period.financialYear): \(Text.span(m.period.firstDay, m.period.lastDay)). "
            + "Figures to the reporting date, \(Text.longDate(m.reportingDate))."
    }

    // MARK: - Front sheet

    static func meeting(_ m: CabinetReportModel) -> String {
        m.meeting.map { "Meeting to be held on \(Text.meetingDate($0))" } ?? "Meeting date: none given"
    }

    static func reportOf(_ m: CabinetReportModel) -> String {
        m.council.map { "Report of the \($0.author)" } ?? "Report of: none given (describe the council with svledger council describe)"
    }

    /// As a council's front sheet puts it: "(All Divisions)" when every division is affected.
    static func divisions(_ m: CabinetReportModel) -> String {
        if m.allDivisions { return "(All Divisions)" }
        return m.divisions.isEmpty ? "None: no contract is covered." : m.divisions.joined(separator: "; ")
    }

    static func corporatePriorities(_ m: CabinetReportModel) -> [String] {
        m.corporatePriorities.isEmpty
            ? ["None given: the policies name no priorities."]
            : m.corporatePriorities.map { "\($0.framework): \($0.priorities.joined(separator: "; "))" }
    }

    static func contact(_ m: CabinetReportModel) -> String {
        guard let contact = m.council?.contact else { return noneGiven }
        return [contact.name, contact.role, contact.phone.map { "Tel: \($0)" }, contact.email].compactMap { $0 }.joined(separator: ", ")
    }

    /// The brief summary the figures give, before the author's own.
    static func briefSummary(_ m: CabinetReportModel) -> [String] {
        let f = m.figures, toDate = f.window(.toDate)
        let counts = f.ratingCounts
        var scope = "\(m.scopeName)"
        if m.scope.council == nil { scope = "every contract in the ledger" }
        var paragraphs = [
            "This report sets out the social value that suppliers have committed to and delivered on the contracts of \(scope), "
                + "for quarter \(m.period.number) of \(m.period.financialYear) (\(Text.span(m.period.firstDay, m.period.lastDay))), "
                + "from the council's social value ledger."
        ]
        if f.contracts.isEmpty {
            paragraphs.append("No contract in scope has a social value commitment in force on \(Text.longDate(m.reportingDate)).")
        } else {
            // The quarter the report is for comes first; then the contracts; then all years.
            paragraphs.append(quarterHeadline(f.window(.period), m))
            let ratings = counts.filter { $0.count > 0 }.map { "\($0.count) \($0.rating.rawValue)" }.joined(separator: ", ")
            paragraphs.append(
                "\(count(f.contracts.count, "contract")) \(f.contracts.count == 1 ? "has" : "have") a commitment in force: \(ratings). "
                    + capped(toDate, by: m.reportingDate))
            paragraphs.append(validation(m))
            paragraphs.append(proxyValues)
        }
        return paragraphs
    }

    /// Claimed against validated delivery (docs/validation.md): "Of the £208.2k delivered to date
    /// as suppliers report it, £165.9k (79.7%) has been validated by the council's contract
    /// managers; £42.3k is claimed and not (yet) validated. The ratings count claimed delivery."
    static func validation(_ m: CabinetReportModel) -> String {
        let p = m.figures.portfolio
        // Counted where they are: grouping the contracts copied every one of them.
        let contracts = m.figures.contracts
        let validatedOnly = contracts.indices.filter { contracts[$0].ratedDelivery == .validated }.count
        let basis: String
        switch (contracts.count - validatedOnly, validatedOnly) {
        case (_, 0): basis = "The ratings count delivery as suppliers claim it, as the council's policy says."
        case (0, _): basis = "The ratings count validated delivery only, as the council's policy says."
        case (let claimed, let validated):
            basis = "The ratings count validated delivery only for \(count(validated, "contract")) and claimed delivery for \(count(claimed, "contract")), as their policies say."
        }
        guard p.delivered != .zero else { return "No delivery has been reported yet, so none has been validated. " + basis }
        let share = Text.percent(p.validated.decimal, of: p.delivered.decimal).map { " (\($0))" } ?? ""
        return "Of the \(Text.compactMoney(p.delivered)) delivered to date as suppliers report it, \(Text.compactMoney(p.validated))\(share) has been validated "
            + "by the council's contract managers; \(Text.compactMoney(p.unvalidated)) is claimed and not validated (still being checked, or rejected). " + basis
    }

    /// "In the quarter itself (1 July to 30 September 2025), suppliers delivered £83.3k of the
    /// £161.5k of social value expected in it, counting each commitment at most at what was
    /// expected of it: 51.5%, which the council's scale rates inadequate."
    static func quarterHeadline(_ w: CabinetWindow, _ m: CabinetReportModel) -> String {
        let span = Text.span(m.period.firstDay, min(m.period.lastDay, m.reportingDate))
        guard let share = Text.percent(w.capped.decimal, of: w.expected.decimal) else {
            return "In the quarter itself (\(span)), nothing was expected to be delivered yet."
        }
        let rating = w.rating
        return "In the quarter itself (\(span)), suppliers delivered \(Text.compactMoney(w.capped)) of the \(Text.compactMoney(w.expected)) "
            + "of social value expected in it, counting each commitment at most at what was expected of it: \(share), "
            + "which the council's scale rates \(rating.rawValue)."
    }

    /// What the £ figures are, said where a reader meets the first of them.
    static let proxyValues =
        "The £ figures are proxy values: an estimate of what the jobs, training, local spending and other outcomes are worth to "
        + "the community, using the national TOMs values per unit. They are not cash paid to or by the council."

    /// "Counting each commitment at most at what was expected of it, suppliers delivered 61.2% …".
    static func capped(_ w: CabinetWindow, by date: CalendarDate) -> String {
        guard let cappedShare = Text.percent(w.capped.decimal, of: w.expected.decimal),
            let share = Text.percent(w.delivered.decimal, of: w.expected.decimal)
        else { return "Nothing was expected to be delivered by \(Text.longDate(date)) yet." }
        return "Over every quarter so far, counting each commitment at most at what was expected of it, suppliers delivered \(cappedShare) of the social value "
            + "expected by \(Text.longDate(date)) (\(Text.compactMoney(w.capped)) of \(Text.compactMoney(w.expected)); \(share) without that cap)."
    }

    /// What the front sheet says when the narrative states no key decision.
    static let noKeyDecision = "Key decision: not stated. The narrative file gives no \"Key decision\" part, so this report does not say whether it is a Key Decision."

    /// The report's appendices, as the front matter lists them and as they head their sections.
    static let appendices: [(label: String, title: String, heading: String)] = [
        ("Appendix 'A'", "How to read this report: the rating scale and the words used",
         "Appendix 'A': how to read this report"),
        ("Appendix 'B'", "Where these figures come from: the ledger head, and how anyone can check the figures",
         "Appendix 'B': where these figures come from"),
    ]

    static let appendicesIntro = "The appendices below are attached to this report."

    /// The aggregate rule, stated where the headline is.
    static let aggregateRule =
        "How the overall position is stated: first, how many contracts have each rating, because no single total can show them all. "
        + "Then the value delivered against the value expected by the reporting date, with each commitment line (one measure of one contract) "
        + "counted at most at 100% of what was expected of it, so that one contract's over-delivery cannot hide another's shortfall. "
        + "Every rating, of a contract, a theme, a quarter or the whole, is worked this way; the uncapped figure, which counts "
        + "over-delivery in full, is shown beside it."

    // MARK: - Key figures: the trend and the windows in one table

    /// One column of the key figures: a quarter (this one, the one before, the same one a year
    /// before), the year to date, or to date.
    struct KeyColumn {
        let title: String
        let detail: String
        /// `nil` when the column's quarter was not reconciled.
        let window: CabinetWindow?
        let outcomes: [CabinetOutcome]?
        let quantity: KeyPath<CabinetQuantities, ExactDecimal>
    }

    static func keyColumns(_ m: CabinetReportModel) -> [KeyColumn] {
        var columns = m.comparisons.map { c in
            KeyColumn(title: c.label, detail: c.quarter.description, window: c.figures?.window(.period), outcomes: c.figures?.outcomes, quantity: \.inPeriod)
        }
        columns.append(KeyColumn(title: "This quarter", detail: m.period.description, window: m.figures.window(.period), outcomes: m.figures.outcomes, quantity: \.inPeriod))
        columns.append(KeyColumn(
            title: m.toDateIsYearToDate ? "Year to date = to date" : "Year to date", detail: m.period.financialYear,
            window: m.figures.window(.yearToDate), outcomes: m.figures.outcomes, quantity: \.inYear))
        if !m.toDateIsYearToDate {
            columns.append(KeyColumn(title: "To date", detail: "all years", window: m.figures.window(.toDate), outcomes: m.figures.outcomes, quantity: \.delivered))
        }
        return columns
    }

    /// The key figures' £ rows: label, and the value for a column's window. The fourth is the headline.
    static var keyRows: [(String, (CabinetWindow) -> String)] {
        [
            ("Contracts with a commitment running", { String($0.contractsInScope) }),
            ("Expected", { $0.expected.formatted }),
            ("Delivered, each commitment capped at 100%", { $0.capped.formatted }),
            ("Delivered ÷ expected, capped", { Text.percent($0.capped.decimal, of: $0.expected.decimal) ?? "—" }),
            ("Delivered, uncapped", { $0.delivered.formatted }),
            ("Delivered ÷ expected, uncapped", { Text.percent($0.delivered.decimal, of: $0.expected.decimal) ?? "—" }),
        ]
    }

    /// The row the headline rating follows.
    static let keyHeadlineRow = 3

    /// The outcomes the key figures count per column: the first three of the summary's.
    static func keyOutcomes(_ m: CabinetReportModel) -> [CabinetOutcome] { Array(m.figures.outcomes.prefix(3)) }

    /// An outcome's quantity in a column: "13.3", "£238,500", "—" when the column was not reconciled.
    static func keyQuantity(_ outcome: CabinetOutcome, _ column: KeyColumn) -> String {
        guard let outcomes = column.outcomes else { return "—" }
        let found = outcomes.first { $0.key == outcome.key }
        return Text.quantity(found?.quantities[keyPath: column.quantity] ?? .zero, unit: outcome.unit)
    }

    static func keyCaption(_ m: CabinetReportModel) -> String {
        "A quarter's column counts that quarter alone; earlier quarters as the ledger holds them now (later returns and corrections "
            + "included), with the commitments in force at the quarter's end."
            + (m.toDateIsYearToDate ? " Every commitment began in \(m.period.financialYear), so the year to date is also the whole to date." : "")
    }

    /// "At the end of 2024-25-Q2: 1 good. 2025-26-Q1: 4 good, 2 inadequate. Now: …".
    static func ratingsTrend(_ m: CabinetReportModel) -> String {
        func counts(_ f: CabinetFigures) -> String {
            let found = f.ratingCounts.filter { $0.count > 0 }
            return found.isEmpty ? "no contract with a commitment" : found.map { "\($0.count) \($0.rating.rawValue)" }.joined(separator: ", ")
        }
        let earlier = m.comparisons.compactMap { c in c.figures.map { "\(c.quarter) (\(c.label.lowercased())): \(counts($0))" } }
        guard !earlier.isEmpty else { return "" }
        return "Contracts by rating at the end of " + earlier.joined(separator: "; ") + "; now: \(counts(m.figures))."
    }

    // MARK: - Outcomes, areas, evidence

    static let outcomesNote =
        "Quantities delivered, added up by unit across the measures reported in it (named beside each); two measures can count the same "
        + "person (a local employee who was also long-term unemployed), so a row is a count of what was reported, not of people. Each £ "
        + "measure counts a different spend (local, county, small firms) and is shown alone, never added to another. Measures recorded "
        + "without a £ value count here too; percentages are left out. Expected is the current commitment spread evenly to the "
        + "reporting date, as for £."

    /// How many outcomes the one-page summary lists.
    static let compactOutcomes = 4

    static let outcomesShortNote =
        "Quantities added up by unit; two measures can count the same person twice. Each £ measure is shown alone."

    static let areasNote =
        "By the areas each contract serves (its electoral divisions or districts). A contract serving several areas counts in full in each, "
        + "so the areas do not add up to the total."

    /// The evidence in two sentences, for the one-page summary.
    static func evidenceBrief(_ m: CabinetReportModel) -> [String] {
        let e = m.figures.evidence.total
        guard e.figures > 0 || e.returns > 0 || e.lateReturns > 0 || e.unpledged > 0 else {
            return ["No return is due or made yet for the contracts in scope."]
        }
        return [
            "Returns: \(e.returns) made for quarters up to \(m.period); \(e.lateReturns) missing for quarters that have ended.",
            "Figures: \(e.figures) reported, \(e.withEvidence) with an evidence reference; \(e.corrected) corrected since; "
                + "\(e.unpledged) against measures never pledged (not counted); \(count(e.overDelivered, "line")) over twice \(e.overDelivered == 1 ? "its" : "their") expected, evidence to be checked.",
        ]
    }

    /// How many areas the one-page summary lists (the worst delivered first when there are more).
    static let compactAreaCount = 10

    /// The areas the one-page summary lists: all of them, or, when there are more than
    /// ``compactAreaCount``, those delivering least of what was expected (capped), by name.
    static func compactAreas(_ m: CabinetReportModel) -> [CabinetArea] {
        let areas = m.figures.areas
        guard areas.count > compactAreaCount else { return areas }
        func share(_ a: CabinetArea) -> ExactDecimal {
            a.amounts.expected.pence > 0 ? a.capped.decimal.divided(by: a.amounts.expected.decimal, decimals: 6) : ExactDecimal(2)
        }
        let worst = areas.sorted { (share($0), $0.name) < (share($1), $1.name) }.prefix(compactAreaCount).map(\.name)
        return areas.filter { worst.contains($0.name) }
    }

    /// The evidence in sentences; `detail` adds what an evidence reference is.
    static func evidence(_ m: CabinetReportModel, detail: Bool = false) -> [String] {
        let e = m.figures.evidence.total
        guard e.figures > 0 || e.returns > 0 || e.lateReturns > 0 || e.unpledged > 0 else {
            return ["No return is due or made yet for the contracts in scope."]
        }
        var lines = [
            "\(count(e.returns, "quarterly return")) made for quarters up to \(m.period); \(count(e.lateReturns, "return")) not made for a quarter that has ended.",
            "\(count(e.figures, "delivery figure")) reported against pledged measures: \(e.withEvidence) with an evidence reference, \(e.withoutEvidence) without.",
            "\(count(e.corrected, "figure")) replaced by a correction after its return (the original stays in the ledger); "
                + "\(count(e.unpledged, "figure")) reported against measures never pledged, kept out of the totals.",
            "\(count(e.overDelivered, "commitment line")) delivered more than twice what was expected of \(e.overDelivered == 1 ? "it" : "them") to date: "
                + "accepted, with \(e.overDelivered == 1 ? "its" : "their") evidence to be checked.",
        ]
        if detail {
            lines.append("An evidence reference names what the supplier holds (payroll, training or invoice records); the ledger records the reference, not the document, so sampling the evidence stays with contract management.")
        }
        return lines
    }

    // MARK: - How to read

    static let howToReadIntro =
        "Suppliers pledge social value when they win a contract, measured in TOMs (Themes, Outcomes and Measures) and valued in pounds "
        + "with each measure's published proxy value, and report what they delivered every quarter. Expected is the current commitment "
        + "spread evenly over the days of the commitment, counted up to the reporting date. Jobs (FTE) and other levels count the "
        + "share of a year each quarter's level was held, never the sum of the levels returned. Every rating, of a contract, a theme, "
        + "a quarter or the whole, is on the council's scale from capped ÷ expected, each measure of each contract counted at most at "
        + "what was expected of it: the cut-offs are the council's own choice, and the Procurement Act 2023 gives only "
        + "the four labels (Good, Approaching target, Requires improvement, Inadequate):"

    /// Terms and what they mean, for the note under the rating scale.
    /// Where the rating scale's cut-offs come from, in words.
    static func cutOffsSource(_ cutOffs: RatingCutOffs) -> String {
        if let source = cutOffs.source { return "above are the council's, set in its social value policy (\(source))." }
        return "above are svledger's defaults: the council's policy sets none of its own (or its contracts' policies set different ones)."
    }

    static func definitions(_ m: CabinetReportModel) -> [(term: String, meaning: String)] {
        [
            ("This quarter", "counts what was delivered in \(m.period)."),
            ("Year to date", "counts the quarters of \(m.period.financialYear) up to and including \(m.period)."),
            ("To date", "counts every quarter since each commitment began, and equals the reconciliation (svledger reconcile --period \(m.period))."),
            ("Capped", "counts each commitment line (one measure of one contract) at most at 100% of what was expected of it in the window."),
            ("The cut-offs", cutOffsSource(m.figures.cutOffs)),
            ("Jobs and other levels", "(FTE employed, a rate held) are returned as the level held in each quarter, and count the share of "
                + "the year (or of the term) that the quarter is: six people employed all year are six FTE-years, never twenty-four."),
            ("Contracts with a commitment running", "have a commitment running in the window: from the later of the contract start and the pledge, to the end of the term or closure."),
            ("Pledged", "is the value of the original pledges dated in the window; in the to-date column, every pledge."),
            ("Themes", themesDefinition(m)),
            ("Whose contracts", "a contract belongs to the council its policy names; \(m.scope.directorate.map { "only those bought by \($0) are covered; " } ?? "")the figures digest covers every contract of the ledger."),
            ("Quarterly £ figures", "are rounded to the penny per measure per quarter, so they may differ from the to-date total by a few pence."),
            ("Percentages", "are rounded down, so a figure shown never passes a rating cut-off it has not reached."),
            ("Measures recorded without a £ value", "(record only) count in a contract's record and in the outcome counts but not in its £ totals; deliveries against "
                + "measures that were never pledged are listed apart and never added to the totals."),
        ]
    }

    /// The theme section's opening sentence.
    static func themesSentence(_ m: CabinetReportModel) -> String {
        "The themes " + themesDefinition(m)
    }

    static func themesDefinition(_ m: CabinetReportModel) -> String {
        guard let council = m.council, !council.themes.isEmpty else {
            return "are the catalogs' own themes, as no council themes are described; two catalogs may name one theme differently."
        }
        let unmapped = m.figures.themes.filter { !$0.mapped }.map(\.name)
        return "are \(council.name)'s own: each catalog's theme counts under the council theme that lists it (svledger council show \(council.id))"
            + (unmapped.isEmpty ? "." : "; \(unmapped.joined(separator: ", ")) \(unmapped.count == 1 ? "is" : "are") listed by no council theme and \(unmapped.count == 1 ? "is" : "are") shown apart.")
    }

    static let provenance =
        "Every figure is read from the social value ledger, a tamper-evident record in which each event is chained to the one before it "
        + "by a SHA-256 hash. The report was made from the ledger head below (position and hash, as svledger verify --expect-head takes it); "
        + "anyone holding the ledger can prove that it still holds exactly what this report was made from by running:"

    static let recompute =
        "The figures themselves can be recomputed from the ledger's log alone, by a second program written from the published "
        + "definitions, which prints the same figures digest when every figure agrees to the penny. The digest covers every contract "
        + "of the ledger, of which this report's are a part:"

    static func narrativeSource(_ m: CabinetReportModel) -> String {
        guard let narrative = m.narrative else { return "No narrative file was given: every part the author writes reads \"None given.\"" }
        return "The recommendation, commentary, implications and remedial commentary are the author's, from \(narrative.fileName) "
            + "(\(narrative.byteCount) bytes, \(narrative.digest)); the figures are the ledger's."
    }

    static let exceptionsIntro = "Delivery exceptions are at the reporting date; decisions are every one the ledger holds, with their dates."

    static let complianceIntro =
        "Tenders in scope are contracts assessed above their policy's threshold, not exempted, with a social value weighting decided. "
        + "Compliant means a weighting at or above the minimum the policy set when it was decided."

    static let prioritiesIntro =
        "Each measure serves one or more council priorities, as its catalog maps it; a measure mapped to two priorities counts towards "
        + "both, so the rows of a framework need not add up to the portfolio. The frameworks of the council's own policies come first; "
        + "a catalog's other frameworks follow."

    static let remedialIntro =
        "Every contract rated inadequate, with the remedial commentary its author gave; contracts requiring improvement follow where "
        + "commentary was given."

    static func compliance(_ c: CabinetWeightingCompliance) -> String {
        guard let percentage = c.percentage else { return "Weighting compliance: no tender in scope has a weighting decided." }
        return "Weighting compliance: \(c.compliant) of \(c.tenders) in-scope tenders (\(percentage)) at or above the policy minimum."
    }

    /// The exception counts as sentences, for the summary.
    static func exceptionPoints(_ m: CabinetReportModel) -> [String] {
        let e = m.exceptions
        let late = e.lateReturns.reduce(0) { $0 + $1.lateReturnCount }
        return [
            "\(count(e.underDelivering.count, "contract")) under-delivering; \(count(late, "quarterly return")) late across \(count(e.lateReturns.count, "contract")).",
            "\(count(e.exemptionsGranted.count, "exemption")) granted; \(count(e.boardOverrides.count, "weighting")) set by board override; "
                + "\(count(e.noPledge.count, "contract")) in scope of the policy with no pledge recorded; "
                + "\(count(e.kpiAssessmentsOverdue.count, "KPI assessment")) overdue.",
            compliance(m.compliance),
        ]
    }

    /// The contracts whose remedial commentary the summary shows: every inadequate one, then
    /// those requiring improvement that have commentary.
    static func remedial(_ m: CabinetReportModel) -> [ContractReconciliation] {
        // By index (`chosen`): only the contracts listed are copied, not every one tested.
        let contracts = m.figures.contracts
        return contracts.chosen { contracts[$0].amounts.rating == .inadequate }
            + contracts.chosen { contracts[$0].amounts.rating == .requiresImprovement && m.commentary(on: contracts[$0].reference) != nil }
    }

    static func count(_ n: Int, _ noun: String) -> String { DisplayText.counted(n, noun) }
}
