import Hummingbird
import Ledger
import HummingbirdCore
import LedgerValues
import Projections
import Queries
import Reports
import SocialValue

/// One contract's page: its state; its commitments, original and current side by side; pledged
/// against delivered by measure (a chart with the numbers in a table beside it) and by
/// quarter; and its audit trail. "As of" shows the page as the ledger stood at the end of a
/// day, under a banner saying so; "figures on" works the figures out to another day.
extension LedgerServer {
    func contractPage(_ request: Request, _ context: ServerContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let session = context.sessions.session
        guard let raw = context.parameters.get("contract"), let reference = raw.removingPercentEncoding, !reference.isEmpty else {
            return WebResponse.notFound(session: session)
        }
        let query = request.uri.queryParameters
        var errors: [WebPage.FieldError] = []
        func day(_ name: String, _ label: String) -> CalendarDate? {
            guard let text = query[Substring(name)].map(String.init), !text.isEmpty else { return nil }
            guard let date = WebPage.day(text) else {
                errors.append(.init(field: name, message: WebPage.dayMessage(label)))
                return nil
            }
            return date
        }
        let asOf = day("as-of", "the day to see the page as of"), on = day("on", "the day to work the figures out to")
        // `at`: the page as it stood after one event (the audit trail links each event's).
        let at = query["at"].flatMap { UInt64(String($0)) }.flatMap { $0 > 0 ? $0 : nil }
        let point = ReadPoint(asOf: at == nil ? asOf : nil, at: at, on: on)
        let view = try await contractView(reference, point, nil)
        guard let contract = view.snapshot.contract(reference) else {
            guard asOf != nil || at != nil, try await offload({ try self.ledger.contractState(reference).version }) > 0 else {
                return WebResponse.notFound(session: session)
            }
            return WebResponse.page(status: .notFound, title: "Not yet in the ledger", session: session, main: """
                <h1>Not yet in the ledger</h1>
                <p>Contract \(reference) was registered later than \(at.map { "position \(Int($0))" } ?? asOf.map { "the end of \($0.longForm)" } ?? "that").
                <a href="/app/contracts/\(reference.addingFormEncoding)">See it as it is now</a>.</p>
                """)
        }
        // The sections below the controls depend on the ledger as read (the contract, and the
        // catalogs and policies its figures use) and the day they are worked out to: kept for
        // that position and day, until the next write anywhere.
        let wholeTrail = query["trail"] == "all"
        let sectionsKey = asOf == nil && at == nil && on == nil ? "\(reference)\u{0}\(view.snapshot.position)\u{0}\(view.reportingDate)\u{0}\(wholeTrail)" : nil
        let sections: ContractPageSections
        if let sectionsKey, let kept = webSections.withLock({ $0.value(sectionsKey) }) {
            sections = kept
        } else {
            let reconciled = view.reconciliation.contracts.first { $0.reference == reference }
            let audit = try await offload { try self.audit(contract: reference, since: nil, point: point, changes: false) }
            sections = ContractPageSections(
                figures: """
                    \(ContractPageParts.state(contract, reconciled: reconciled, view: view))
                    \(ContractPageParts.commitments(contract, reconciled: reconciled))
                    \(ContractPageParts.chart(reconciled))
                    \(ContractPageParts.quarters(reconciled))
                    \(ContractPageParts.checks(contract))
                    \(ContractPageParts.kpis(contract))
                    """,
                trail: ContractPageParts.trail(audit, reference: reference, all: wholeTrail))
            if let sectionsKey { webSections.withLock { _ = $0.insert(sections, for: sectionsKey) } }
        }

        let now: HTML = "Later changes are not shown. <a href=\"/app/contracts/\(reference.addingFormEncoding)\">See it as it is now</a>."
        let banner: HTML
        if let at {
            banner = "<div class=\"notice\" role=\"status\"><p><strong>As it stood after position \(Int(at)) of the ledger.</strong> \(now)</p></div>"
        } else if let asOf {
            banner = "<div class=\"notice\" role=\"status\"><p><strong>As it stood at the end of \(asOf.longForm).</strong> \(now)</p></div>"
        } else if let notice = query["notice"] {
            banner = "<div class=\"notice success\" role=\"status\"><p>\(String(notice))</p></div>"
        } else {
            banner = .empty
        }
        // The forms this role may use (the API's rights: a supplier reports and corrects its
        // own contracts' delivery; a council role may too), once there is a pledge.
        let current = asOf == nil && at == nil && Authorization.allows(.command, identity.role)
        let returns: HTML = current && !contract.lines.isEmpty
            ? """
                <a class="button" href="/app/contracts/\(reference.addingFormEncoding)/return">Make a quarterly return</a>
                <a class="button secondary" href="/app/contracts/\(reference.addingFormEncoding)/correction">Correct a return</a>
                <a class="button secondary" href="/app/contracts/\(reference.addingFormEncoding)/spreadsheet">Return from a spreadsheet</a>
                """
            : .empty
        // The council's decisions that fit the contract's stage (a supplier records returns only).
        let supplierActions: [HTML] = current && identity.role == .supplier
            ? ContractAction.all.filter { $0.bySupplier && $0.fits(contract) }.map { action in
                "<a class=\"button secondary\" href=\"/app/contracts/\(reference.addingFormEncoding)/actions/\(action.command.rawValue)\">\(action.title)</a>"
            } : []
        let decisions: [HTML] = current && identity.role != .supplier
            ? ContractAction.all.filter { !$0.bySupplier && $0.fits(contract) }.map { action in
                "<a class=\"button secondary\" href=\"/app/contracts/\(reference.addingFormEncoding)/actions/\(action.command.rawValue)\">\(action.title)</a>"
            }
                + (LedgerServer.takesPledge(contract) && Authorization.allows(.importPortal, identity.role)
                    ? ["<a class=\"button\" href=\"/app/contracts/\(reference.addingFormEncoding)/pledge\">Record the pledge</a>"] : [])
                + (LedgerServer.takesReview(contract)
                    ? ["<a class=\"button secondary\" href=\"/app/contracts/\(reference.addingFormEncoding)/review\">Refresh the commitments</a>"] : [])
            : supplierActions
        let actions: HTML = returns == .empty && decisions.isEmpty ? .empty : "<p class=\"actions\">\(returns)\(decisions)</p>"
        // The evidence files, as the ledger holds them now, for those who may see them (not
        // cached with the sections: who sees what depends on the role).
        let evidence: HTML = asOf == nil && at == nil && Authorization.allows(.listEvidence, identity.role)
            ? ContractPageParts.evidence(
                try await offload { try self.ledger.evidence(contract: reference) }, reference: reference,
                downloads: Authorization.allows(.readEvidence, identity.role))
            : .empty
        return WebResponse.page(title: "\(contract.reference): \(contract.title)", session: session, main: """
            \(WebPage.errorSummary(errors))\(banner)
            <p class="caption">\(contract.reference)</p>
            <h1>\(contract.title)</h1>
            \(actions)
            \(ContractPageParts.controls(reference: reference, asOf: asOf, on: on, errors: errors))
            \(sections.figures)
            \(evidence)
            \(sections.trail)
            """)
    }
}

/// The contract page's sections below its controls, kept for a position and a day: the same
/// for every role. The evidence files, which are not, go between them.
struct ContractPageSections: Sendable {
    let figures: HTML
    let trail: HTML
}

/// The parts of the contract page, each a section.
enum ContractPageParts {
    static func controls(reference: String, asOf: CalendarDate?, on: CalendarDate?, errors: [WebPage.FieldError]) -> HTML {
        """
        <form method="get" action="/app/contracts/\(reference.addingFormEncoding)" class="filters">
        \(WebPage.field("as-of", label: "As of", type: "date", value: asOf?.description ?? "", hint: "The ledger as it stood at the end of this day", errors: errors, inline: true))
        \(WebPage.field("on", label: "Figures on", type: "date", value: on?.description ?? "", hint: "Expected and delivered to this day", errors: errors, inline: true))
        <button type="submit" class="button secondary">Show</button>
        </form>
        """
    }

    static func state(_ contract: ContractProjection, reconciled: ContractReconciliation?, view: FigureView) -> HTML {
        var rows: [(String, String)] = [
            ("Stage", contract.stage.rawValue.capitalized), ("Department", contract.buyerDepartment),
            ("Term", "\(contract.startDate.longForm) to \(contract.endDate.longForm)"), ("Estimated value", contract.estimatedValue.formatted),
            ("Policy", contract.policyId),
        ]
        if let assessment = contract.assessment { rows.append(("Threshold", "\(assessment.outcome.rawValue.replacingOccurrences(of: "-", with: " ")) (threshold \(assessment.threshold.formatted))")) }
        if let weighting = contract.weighting {
            rows.append(("Social value weighting", "\(weighting.percent.normalized)% (policy minimum \(weighting.policyMinimumPercent.normalized)%)"))
        }
        if let exemption = contract.exemption { rows.append(("Exemption", exemption.status.rawValue.capitalized)) }
        if let supplier = contract.supplier { rows.append(("Supplier", supplier)) }
        if let award = contract.award { rows.append(("Awarded", "\(award.date.longForm), \(award.value.formatted)")) }
        if let amounts = reconciled?.amounts {
            // Said on the delivery the policy rates: a rating on validated delivery quotes it.
            let rated = reconciled?.ratedDelivery ?? .claimed
            let basis = rated == .validated
                ? "validated \(amounts.validated.formatted) (of \(amounts.delivered.formatted) claimed)"
                : "delivered \(amounts.delivered.formatted) as claimed (\(amounts.validated.formatted) of it validated)"
            rows.append(("Rating", "\(amounts.rating.label): \(basis) against \(amounts.expected.formatted) expected by \(view.reportingDate.longForm)"))
        }
        if let closed = contract.closedOn { rows.append(("Closed", closed.longForm)) }
        let items: [HTML] = rows.map { "<div class=\"row\"><dt>\($0.0)</dt><dd>\($0.1)</dd></div>" }
        return "<h2>State</h2><dl class=\"summary\">\(items)</dl>"
    }

    static func commitments(_ contract: ContractProjection, reconciled: ContractReconciliation?) -> HTML {
        guard !contract.lines.isEmpty else { return "<h2>Commitments</h2><p>No pledge has been recorded.</p>" }
        func figure(_ figure: ContractProjection.Figure?) -> HTML {
            guard let figure else { return "<td class=\"num\">–</td><td class=\"num\">–</td>" }
            return "<td class=\"num\">\(figure.quantity.readable(decimals: 4))</td><td class=\"num\">\(figure.value?.formatted ?? "record only")</td>"
        }
        let rows: [HTML] = contract.lines.map { line in
            let changed = line.original != line.current
            return "<tr\(changed ? HTML(" class=\"changed\"") : .empty)><th scope=\"row\">\(line.measure)</th><td>\(line.unit)</td>\(figure(line.original))\(figure(line.current))</tr>"
        }
        let changedOn: HTML = contract.commitmentsChangedOn.map { "<p>Commitments last changed at a review on \($0.longForm); changed lines are marked.</p>" } ?? .empty
        return """
            <h2>Commitments</h2>
            \(changedOn)
            <table>
            <thead><tr><th scope="col" rowspan="2">Measure</th><th scope="col" rowspan="2">Unit</th><th scope="colgroup" colspan="2">Original</th><th scope="colgroup" colspan="2">Current</th></tr>
            <tr><th scope="col" class="num">Quantity</th><th scope="col" class="num">Value</th><th scope="col" class="num">Quantity</th><th scope="col" class="num">Value</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            """
    }

    /// Committed against delivered £ per measure as horizontal bars, with the figures in the
    /// table beside it (the chart's text alternative points there).
    static func chart(_ reconciled: ContractReconciliation?) -> HTML {
        guard let reconciled, !reconciled.lines.isEmpty else { return .empty }
        let lines = reconciled.lines.filter { $0.proxy != nil }
        let largest = lines.map { max($0.amounts.current.pence, $0.amounts.delivered.pence, $0.amounts.expected.pence) }.max() ?? 0
        let rowHeight = 46, width = 560, labelWidth = 90
        func bar(_ pence: Int64) -> Int { largest > 0 ? max(1, Int(Double(pence) / Double(largest) * Double(width - labelWidth - 10))) : 1 }
        let bars: [HTML] = lines.enumerated().map { index, line in
            let y = index * rowHeight
            return """
                <text x="0" y="\(y + 18)" class="chart-label">\(line.measure)</text>
                <rect x="\(labelWidth)" y="\(y + 4)" width="\(bar(line.amounts.current.pence))" height="16" class="bar-committed"></rect>
                <rect x="\(labelWidth)" y="\(y + 22)" width="\(bar(line.amounts.delivered.pence))" height="16" class="bar-delivered"></rect>
                """
        }
        let rows: [HTML] = reconciled.lines.map { line in
            """
            <tr><th scope="row">\(line.measure)</th><td class="num">\(line.amounts.current.formatted)</td><td class="num">\(line.amounts.expected.formatted)</td>
            <td class="num">\(line.amounts.delivered.formatted)</td><td class="num">\(line.deliveredQuantity.readable(unit: line.unit)) of \(line.expectedQuantity.readable(unit: line.unit))</td><td>\(line.rating.label)</td></tr>
            """
        }
        let height = max(rowHeight, lines.count * rowHeight)
        return """
            <h2>Pledged and delivered, by measure</h2>
            <div class="chart-and-table">
            <figure class="chart">
            <svg viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" role="img" aria-labelledby="chart-title">
            <title id="chart-title">Committed value (dark) and delivered value (light) for each priced measure; the figures are in the table beside this chart.</title>
            \(bars)
            </svg>
            <figcaption><span class="key key-committed"></span> Committed <span class="key key-delivered"></span> Delivered</figcaption>
            </figure>
            <table>
            <thead><tr><th scope="col">Measure</th><th scope="col" class="num">Committed</th><th scope="col" class="num">Expected to date</th><th scope="col" class="num">Delivered</th><th scope="col" class="num">Delivered of expected, in the measure's unit</th><th scope="col">Rating</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            </div>
            """
    }

    static func quarters(_ reconciled: ContractReconciliation?) -> HTML {
        guard let reconciled else { return .empty }
        let quarters = Set(reconciled.lines.flatMap { $0.deliveredPerQuarter.map(\.quarter) }).sorted()
        guard !quarters.isEmpty else { return "<h2>Delivered, by quarter</h2><p>No delivery has been reported.</p>" }
        let head: [HTML] = quarters.map { "<th scope=\"col\" class=\"num\">\($0.description)</th>" }
        let rows: [HTML] = reconciled.lines.map { line in
            let cells: [HTML] = quarters.map { quarter in
                let figure = line.deliveredPerQuarter.first { $0.quarter == quarter }
                return "<td class=\"num\">\(figure.map { $0.quantity.readable(unit: line.unit) } ?? "–")</td>"
            }
            return "<tr><th scope=\"row\">\(line.measure) <span class=\"muted\">(\(line.unit))</span></th>\(cells)</tr>"
        }
        let late: HTML = reconciled.lateReturns.isEmpty ? .empty : "<p>Late returns: \(reconciled.lateReturns.map(\.description).joined(separator: ", ")).</p>"
        return """
            <h2>Delivered, by quarter</h2>
            \(late)
            <div class="scroll"><table><thead><tr><th scope="col">Measure</th>\(head)</tr></thead><tbody>\(rows)</tbody></table></div>
            """
    }

    /// Each delivered figure with where the council's check of it stands, and the words said
    /// (docs/validation.md).
    static func checks(_ contract: ContractProjection) -> HTML {
        guard !contract.deliveries.isEmpty else { return .empty }
        let rows: [HTML] = contract.deliveries.sorted { ($0.quarter, $0.measure) < ($1.quarter, $1.measure) }.map { d in
            var said: [String] = []
            if let question = d.question { said.append("Question: “\(question)”") }
            if let answer = d.answer { said.append("Answer: “\(answer)”") }
            if let reason = d.decisionReason, d.status == .validated || d.status == .rejected {
                said.append("\(d.status.rawValue.capitalized)\(d.decidedOn.map { " on \($0.longForm)" } ?? ""): “\(reason)”")
            }
            return "<tr><td>\(d.quarter.description)</td><th scope=\"row\">\(d.measure)</th><td class=\"num\">\(d.quantity.readable(decimals: 4))</td><td>\(d.status.rawValue)</td><td>\(said.joined(separator: " "))</td></tr>"
        }
        return """
            <h2>Check of returns</h2>
            <p>Each figure a return gave: submitted, queried, answered, validated or rejected by the contract manager.</p>
            <div class="scroll"><table><thead><tr><th scope="col">Quarter</th><th scope="col">Measure</th><th scope="col" class="num">Figure</th><th scope="col">Check</th><th scope="col">Said</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
    }

    /// The contract's Procurement Act KPIs, each with its latest assessment (docs/kpis.md).
    static func kpis(_ contract: ContractProjection) -> HTML {
        guard !contract.kpis.isEmpty || contract.kpiExemption != nil else { return .empty }
        let exemption: HTML = contract.kpiExemption.map { "<p>Exempt from KPIs: a \($0) contract.</p>" } ?? .empty
        let rows: [HTML] = contract.kpis.map { kpi in
            let latest = kpi.assessments.max { ($0.periodEnd, $0.assessedOn) < ($1.periodEnd, $1.assessedOn) }
            let rated = latest.map { "\(KPIRating(rawValue: $0.rating)?.label ?? $0.rating), \($0.periodStart.longForm) to \($0.periodEnd.longForm)" } ?? "Not yet assessed"
            return "<tr><th scope=\"row\">\(kpi.id)</th><td>\(kpi.name)</td><td>\(kpi.target)</td><td>\(rated)</td></tr>"
        }
        return """
            <h2>Key performance indicators</h2>
            \(exemption)
            \(rows.isEmpty ? HTML.empty : "<table><thead><tr><th scope=\"col\">KPI</th><th scope=\"col\">Name</th><th scope=\"col\">Target</th><th scope=\"col\">Latest assessment</th></tr></thead><tbody>\(rows)</tbody></table>")
            """
    }

    /// The latest events shown before "every event" is asked for.
    static let latestEvents = 25

    /// The evidence files the contract's returns cite: each with its quarter, measure, size and
    /// state, and a link that downloads it for those who may read files.
    static func evidence(_ entries: [(citation: EvidenceAudit.Citation, status: EvidenceAudit.Status)], reference: String, downloads: Bool) -> HTML {
        guard !entries.isEmpty else { return .empty }
        let rows: [HTML] = entries.map { entry in
            let file = entry.citation.file
            let name: HTML = downloads && entry.status == .kept
                ? "<a href=\"/app/contracts/\(reference.addingFormEncoding)/evidence/\(file.sha256)\" download>\(file.name)</a>"
                : "\(file.name)"
            return """
                <tr><td>\(entry.citation.quarter)</td><td>\(entry.citation.measure)</td><td>\(name)</td>
                <td class="number">\(Self.size(file.size))</td><td>\(entry.status.words)</td></tr>
                """
        }
        return """
            <h2 id="evidence">Evidence files</h2>
            <table><caption>The files kept with the returns, by their SHA-256: a file is always downloaded, never opened in the page.</caption>
            <thead><tr><th scope="col">Quarter</th><th scope="col">Measure</th><th scope="col">File</th><th scope="col" class="number">Size</th><th scope="col">State</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
    }

    /// "315 bytes", "12.4 KiB", "3.1 MiB".
    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) bytes" }
        let kib = Double(bytes) / 1024
        return kib < 1024 ? String(format: "%.1f KiB", kib) : String(format: "%.1f MiB", kib / 1024)
    }

    static func trail(_ audit: AuditDocument, reference: String, all: Bool) -> HTML {
        let shown = all ? audit.entries.reversed().prefix(audit.entries.count) : audit.entries.reversed().prefix(latestEvents)
        let more: HTML = shown.count < audit.entries.count
            ? "<p>The latest \(shown.count) of \(audit.entries.count) events. <a href=\"/app/contracts/\(reference.addingFormEncoding)?trail=all#trail\">Show every event</a>.</p>"
            : .empty
        let rows: [HTML] = shown.map { entry in
            """
            <tr><td>\(Timestamp(entry.recordedAt)?.date.longForm ?? entry.recordedAt)<br><span class="muted">effective \(CalendarDate(entry.effectiveDate)?.longForm ?? entry.effectiveDate)</span></td>
            <td>\(entry.actorId)<br><span class="muted">\(entry.actorRole)</span></td>
            <td>\(entry.summary)</td><td>\(entry.reason ?? "–")</td>
            <td><a href="/app/contracts/\(reference.addingFormEncoding)?at=\(Int(entry.position))">The page after position \(Int(entry.position))</a><br><code class="hash">\(entry.eventId)</code><br><code class="hash">\(entry.hash)</code></td></tr>
            """
        }
        return """
            <h2 id="trail">Audit trail</h2>
            <p>Every change to this contract, newest first: who made it, when, why, and the event's id and hash in the ledger, which <code>svledger verify</code> checks.</p>
            <table class="trail">
            <thead><tr><th scope="col">Recorded</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Why</th><th scope="col">Event</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            \(more)
            """
    }
}
