import Access
import Hummingbird
import LedgerValues
import Projections
import Queries
import Reports
import SocialValue

/// The officers' decisions on a contract, as forms: the threshold assessment, an exemption's
/// request and decision, the weighting (with the policy's minimum shown), the award, its
/// correction and the closure. Each sends the command the API takes, prepared and committed by the same code
/// (``LedgerServer/prepare(_:identity:ifMatch:key:digest:)``), with the contract's version when
/// the page was loaded as `If-Match`. A refusal is shown beside the field it names; nothing is
/// written.
struct ContractAction: Sendable {
    enum Kind: Sendable, Equatable {
        case text
        case date
        /// One of these values (value, label).
        case choice([(String, String)])
        /// Codes separated by commas (or, when there is no comma, spaces), sent as a list ("NT1, NT10").
        case list

        static func == (lhs: Kind, rhs: Kind) -> Bool {
            switch (lhs, rhs) {
            case (.text, .text), (.date, .date), (.list, .list): true
            case (.choice(let a), .choice(let b)): a.map(\.0) == b.map(\.0)
            default: false
            }
        }
    }

    struct Field: Sendable {
        let name: String
        let label: String
        let kind: Kind
        let hint: String?
        let required: Bool
    }

    let command: CommandName
    let title: String
    let button: String
    let fields: [Field]
    /// Whether the action fits the contract as it stands (it is offered only then).
    let fits: @Sendable (ContractProjection) -> Bool
    /// The supplier's action (answering a query), offered to a supplier on its own contracts
    /// and to no one else; every other action is the council's.
    var bySupplier = false
    /// The figures the action may be taken on, listed on its page (the check of returns).
    var figures: (@Sendable (ContractProjection.DeliveredFigure) -> Bool)?
    /// Turns the form's flat fields into the command's own shape, where they differ (a KPI
    /// agreed is one item of the command's `kpis`).
    var shape: (@Sendable ([String: JSONValue]) -> [String: JSONValue])?

    static let reason = Field(name: "reason", label: "Why", kind: .text, hint: "Recorded in the audit trail", required: false)

    static let all: [ContractAction] = [
        ContractAction(
            command: .assessThreshold, title: "Assess against the threshold", button: "Record the assessment",
            fields: [reason], fits: { $0.stage == .registered }),
        ContractAction(
            command: .requestExemption, title: "Request an exemption", button: "Request the exemption",
            fields: [Field(name: "businessCaseReference", label: "Business case reference", kind: .text, hint: "For example BC-77", required: true), reason],
            fits: { $0.stage == .assessed && $0.exemption == nil }),
        ContractAction(
            command: .decideExemption, title: "Decide the exemption", button: "Record the decision",
            fields: [
                Field(name: "decision", label: "Decision", kind: .choice([("granted", "Grant the exemption"), ("refused", "Refuse it")]), hint: nil, required: true),
                Field(name: "businessCaseReference", label: "Business case reference", kind: .text, hint: "The one the request was made on", required: true),
                Field(name: "reason", label: "Why", kind: .text, hint: "Required: recorded with the decision", required: true),
            ],
            fits: { $0.exemption?.status == .requested }),
        ContractAction(
            command: .decideWeighting, title: "Decide the social value weighting", button: "Record the weighting",
            fields: [
                Field(name: "percent", label: "Weighting (% of the overall score)", kind: .text, hint: nil, required: true),
                Field(
                    name: "basis", label: "Basis",
                    kind: .choice([("policy-minimum", "The policy's minimum or more"), ("matrix", "The policy's matrix"), ("board-override", "A board override")]),
                    hint: nil, required: true),
                Field(name: "overrideReason", label: "Why the board departs from the policy (a board override only)", kind: .text, hint: nil, required: false),
                reason,
            ],
            fits: { $0.stage == .assessed || $0.stage == .weighted }),
        ContractAction(
            command: .award, title: "Award the contract", button: "Record the award",
            fields: [
                Field(name: "supplier", label: "Supplier", kind: .text, hint: "As the supplier's returns will name it", required: true),
                Field(name: "valueGBP", label: "Value awarded (£)", kind: .text, hint: "For example 4,180,000", required: true),
                Field(name: "awardDate", label: "Award date", kind: .date, hint: "Empty: today", required: false), reason,
            ],
            fits: { [.assessed, .weighted, .evaluated].contains($0.stage) }),
        ContractAction(
            command: .correctAward, title: "Correct the award", button: "Record the correction",
            fields: [
                Field(name: "valueGBP", label: "Corrected value awarded (£)", kind: .text, hint: "Empty: the value stays as recorded", required: false),
                Field(name: "awardDate", label: "Corrected award date", kind: .date, hint: "Empty: the date stays as recorded", required: false),
                Field(name: "reason", label: "Why", kind: .text, hint: "Required: for example, the award notice was corrected", required: true),
            ],
            fits: { $0.award != nil && $0.stage != .closed }),
        ContractAction(
            command: .queryDelivery, title: "Query a delivered figure", button: "Send the question",
            fields: figureFields + [Field(name: "question", label: "Question for the supplier", kind: .text, hint: nil, required: true)],
            fits: { $0.deliveries.contains(where: queryable) }, figures: queryable),
        ContractAction(
            command: .answerQuery, title: "Answer a query", button: "Send the answer",
            fields: figureFields + [Field(name: "answer", label: "Your answer", kind: .text, hint: "To put the figure right, correct the return as well", required: true)],
            fits: { $0.deliveries.contains { $0.status == .queried } }, bySupplier: true, figures: { $0.status == .queried }),
        ContractAction(
            command: .validateDelivery, title: "Validate delivered figures", button: "Validate",
            fields: validationFields(hint: "For example: payroll extract checked against the three starters"),
            fits: { $0.deliveries.contains(where: validatable) }, figures: validatable),
        ContractAction(
            command: .rejectDelivery, title: "Reject delivered figures", button: "Reject",
            fields: validationFields(hint: "For example: no evidence of the apprenticeship weeks"),
            fits: { $0.deliveries.contains(where: rejectable) }, figures: rejectable),
        ContractAction(
            command: .agreeKPIs, title: "Agree a KPI", button: "Record the KPI",
            fields: [
                Field(name: "id", label: "KPI id", kind: .text, hint: "Unique within the contract, for example KPI1", required: true),
                Field(name: "name", label: "Name", kind: .text, hint: "For example: Local jobs", required: true),
                Field(name: "description", label: "What it measures, and how", kind: .text, hint: nil, required: true),
                Field(name: "target", label: "Target", kind: .text, hint: "For example: at least 20 FTE", required: true),
                Field(name: "measures", label: "TOMs measures it is worked out from", kind: .list, hint: "Separated by commas; may be empty", required: false),
            ],
            fits: { $0.stage != .closed },
            shape: { fields in
                var kpi = fields.filter { ["id", "name", "description", "target", "measures"].contains($0.key) }
                kpi["measures"] = kpi["measures"] ?? .array([])
                return fields.filter { !kpi.keys.contains($0.key) }.merging(["kpis": .array([.object(JSONObject(kpi))])]) { $1 }
            }),
        ContractAction(
            command: .exemptFromKPIs, title: "Exempt from KPIs", button: "Record the exemption",
            fields: [
                Field(name: "basis", label: "The kind of contract the Act exempts",
                      kind: .choice([("framework", "A framework"), ("concession", "A concession"), ("light-touch", "A light-touch contract")]), hint: nil, required: true),
                Field(name: "reason", label: "Why", kind: .text, hint: "Required", required: true),
            ],
            fits: { $0.supplier == nil && $0.kpiExemption == nil && $0.kpis.isEmpty && $0.stage != .closed }),
        ContractAction(
            command: .assessKPI, title: "Assess a KPI", button: "Record the assessment",
            fields: [
                Field(name: "kpi", label: "KPI id", kind: .text, hint: "For example KPI1", required: true),
                Field(name: "periodStart", label: "Period from", kind: .date, hint: nil, required: true),
                Field(name: "periodEnd", label: "Period to", kind: .date, hint: "A period that has ended", required: true),
                Field(name: "rating", label: "Rating",
                      kind: .choice([("good", "Good"), ("approaching-target", "Approaching target"), ("requires-improvement", "Requires improvement"),
                                     ("inadequate", "Inadequate"), ("other", "Other")]), hint: nil, required: true),
                Field(name: "reason", label: "Why", kind: .text, hint: "Required: what the assessment found", required: true),
            ],
            fits: { $0.supplier != nil && !$0.kpis.isEmpty }),
        ContractAction(
            command: .close, title: "Close the contract", button: "Close it",
            fields: [Field(name: "reason", label: "Why", kind: .text, hint: "For example: the term has ended", required: false)],
            fits: { $0.stage != .closed && $0.stage != .registered }),
    ]

    static func named(_ path: String) -> ContractAction? { all.first { $0.command.rawValue == path } }

    // The check of returns (docs/validation.md): which figures each step may be taken on.
    static let queryable: @Sendable (ContractProjection.DeliveredFigure) -> Bool = { $0.status == .submitted || $0.status == .answered }
    static let validatable = queryable
    static let rejectable: @Sendable (ContractProjection.DeliveredFigure) -> Bool = { $0.status != .validated && $0.status != .rejected }

    static let figureFields = [
        Field(name: "quarter", label: "Quarter", kind: .text, hint: "For example 2025-26-Q2", required: true),
        Field(name: "measure", label: "Measure", kind: .text, hint: "For example NT18", required: true),
    ]

    static func validationFields(hint: String) -> [Field] {
        [
            Field(name: "quarter", label: "Quarter", kind: .text, hint: "For example 2025-26-Q2", required: true),
            Field(name: "measures", label: "Measures", kind: .list, hint: "Separated by commas; empty: every figure of the quarter that can be", required: false),
            Field(name: "reason", label: "Why", kind: .text, hint: "Required: " + hint.prefix(1).lowercased() + hint.dropFirst(), required: true),
        ]
    }

    /// The figures the action may be taken on, as a list for its page.
    func figureList(_ contract: ContractProjection) -> HTML {
        guard let figures else { return .empty }
        let chosen = contract.deliveries.filter(figures).sorted { ($0.quarter, $0.measure) < ($1.quarter, $1.measure) }
        guard !chosen.isEmpty else { return "<p class=\"notice\">No figure can be \(command == .answerQuery ? "answered" : "checked") this way now.</p>" }
        let items: [HTML] = chosen.map { d in
            let question = d.question.map { HTML(" Question: “\($0)”") } ?? .empty
            let answer = d.answer.map { HTML(" Answer: “\($0)”") } ?? .empty
            return "<li><strong>\(d.quarter.description) \(d.measure)</strong>: \(d.quantity.description) (\(d.status.rawValue), evidence \(d.evidence)).\(question)\(answer)</li>"
        }
        return "<h2>Figures</h2><ul class=\"figures\">\(items)</ul>"
    }

    /// The form's inputs for these fields, with what was typed and the errors against it.
    static func inputs(_ fields: [Field], values: [String: String], errors: [WebPage.FieldError]) -> [HTML] {
        fields.map { field in
            switch field.kind {
            case .text, .date, .list:
                return WebPage.field(field.name, label: field.label, type: field.kind == .date ? "date" : "text", value: values[field.name] ?? "", hint: field.hint, errors: errors)
            case .choice(let options):
                let chosen = values[field.name] ?? options.first?.0
                let items: [HTML] = options.map { option in
                    "<div class=\"radio\"><input type=\"radio\" id=\"\(field.name)-\(option.0)\" name=\"\(field.name)\" value=\"\(option.0)\"\(option.0 == chosen ? HTML(" checked") : .empty)><label for=\"\(field.name)-\(option.0)\">\(option.1)</label></div>"
                }
                return "<fieldset class=\"field\" id=\"\(field.name)\"><legend>\(field.label)</legend>\(LedgerServer.fieldError(field.name, errors))\(items)</fieldset>"
            }
        }
    }

    /// The command's fields from a form: each non-empty field as text, and an error for each
    /// required one left empty.
    static func command(_ fields: [Field], from form: WebForm) -> (fields: [String: JSONValue], errors: [WebPage.FieldError]) {
        var command: [String: JSONValue] = [:], errors: [WebPage.FieldError] = []
        for field in fields {
            let value = form.text(field.name)
            if value.isEmpty {
                if field.required { errors.append(.init(field: field.name, message: "Enter \(field.label.lowercased())")) }
                continue
            }
            if field.kind == .list {
                // Commas or spaces: a measure code never holds a comma, but may hold a space
                // ("CBC5 RBC1"), so spaces separate only when there is no comma.
                let separator: (Character) -> Bool = value.contains(",") ? { $0 == "," } : { $0 == " " }
                let codes = value.split(whereSeparator: separator).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                command[field.name] = .array(codes.map { .string($0) })
            } else {
                command[field.name] = .string(value)
            }
        }
        return (command, errors)
    }

    /// The errors a refusal names (its JSON pointers), beside the fields of the form they are.
    static func fieldErrors(_ problem: JSONValue?, fields: [Field]) -> [WebPage.FieldError] {
        let names = Set(fields.map(\.name))
        let detail = problem?["detail"]?.stringValue ?? "It could not be recorded."
        let pointers = problem?["fields"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let named = pointers.map { String($0.dropFirst().split(separator: "/").first ?? "") }.filter(names.contains)
        // Beside its field, the message need not name it as the API does ("endDate: …").
        return named.map { name in
            WebPage.FieldError(field: name, message: detail.hasPrefix(name + ": ") ? String(detail.dropFirst(name.count + 2)) : detail)
        }
    }
}

extension LedgerServer {
    func actionPage(
        _ context: ServerContext, values: [String: String] = [:], errors: [WebPage.FieldError] = [], problem: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let session = context.sessions.session
        guard let reference = context.parameters.get("contract")?.removingPercentEncoding, let action = ContractAction.named(context.parameters.get("action") ?? ""),
            let session
        else { return WebResponse.notFound(session: session) }
        // A council decision: a supplier sees none of it, not even which contracts exist; the
        // supplier's own step (an answer) is offered to the supplier alone.
        guard (context.identity?.role == .supplier) == action.bySupplier else { return WebResponse.notFound(session: session) }
        let view = try await contractView(reference, ReadPoint(), nil)
        guard let contract = view.snapshot.contract(reference) else { return WebResponse.notFound(session: session) }
        let policy = view.snapshot.reference.policy(contract.policyId, on: today())
        var notes: [HTML] = []
        if action.command == .decideWeighting, let policy {
            notes.append("<p class=\"notice\">Policy \(policy.reference) asks for a weighting of at least <strong>\(policy.weighting.minimumPercent.normalized.description)%</strong>.</p>")
        }
        if action.command == .decideExemption, let policy {
            let may = policy.exemptionAuthorities.contains(session.role.rawValue)
            notes.append("<p class=\"notice\">Policy \(policy.reference) lets only \(policy.exemptionAuthorities.joined(separator: " or ")) decide an exemption.\(may ? "" : " You cannot decide this one.")</p>")
            if !may {
                return WebResponse.page(title: action.title, session: session, main: """
                    <p class="caption">\(reference): \(contract.title)</p><h1>\(action.title)</h1>\(notes)
                    <p><a href="/app/contracts/\(reference.addingFormEncoding)">Back to the contract</a></p>
                    """)
            }
        }
        let inputs = ContractAction.inputs(action.fields, values: values, errors: errors)
        let problemHTML = WebPage.refusal(problem)
        return WebResponse.page(status: status, title: (errors.isEmpty && problem == nil ? "" : "Error: ") + action.title, session: session, main: """
            \(WebPage.errorSummary(errors))\(problemHTML)
            <p class="caption">\(reference): \(contract.title)</p>
            <h1>\(action.title)</h1>
            \(notes)\(action.figureList(contract))
            <form method="post" action="/app/contracts/\(reference.addingFormEncoding)/actions/\(action.command.rawValue)" novalidate>
            \(WebPage.formToken(session))<input type="hidden" name="version" value="\(values["version"] ?? String(contract.version))">
            \(inputs)
            <button type="submit" class="button">\(action.button)</button>
            </form>
            <p><a href="/app/contracts/\(reference.addingFormEncoding)">Back to the contract</a></p>
            """)
    }

    func submitAction(_ context: ServerContext) async throws -> Response {
        let identity = try context.requireIdentity()
        guard let reference = context.parameters.get("contract")?.removingPercentEncoding, let action = ContractAction.named(context.parameters.get("action") ?? ""),
            (identity.role == .supplier) == action.bySupplier
        else {
            // A council decision: a supplier sees none of it, not even which contracts exist.
            return WebResponse.notFound(session: context.sessions.session)
        }
        let form = context.form ?? WebForm([:])
        var (command, errors) = ContractAction.command(action.fields, from: form)
        if let shape = action.shape { command = shape(command) }
        command["command"] = .string(action.command.rawValue)
        command["contract"] = .string(reference)
        command["actor"] = ["id": .string(identity.account), "role": .string(identity.role.rawValue)]
        guard errors.isEmpty else { return try await actionPage(context, values: form.fields, errors: errors, status: .unprocessableContent) }
        switch PageOutcome(await submitFromPage(command, identity: identity, version: form.text("version")), otherwise: "It could not be recorded.") {
        case .recorded:
            return WebResponse.redirect("/app/contracts/\(reference.addingFormEncoding)?notice=" + "Recorded: \(action.title.lowercased()).".addingFormEncoding)
        case .changedMeanwhile:
            var values = form.fields
            values["version"] = nil
            return try await actionPage(context, values: values, problem: PageOutcome.changed("check the contract, then decide again."), status: .conflict)
        case .refused(let problem, let detail):
            let fieldErrors = ContractAction.fieldErrors(problem, fields: action.fields)
            return try await actionPage(context, values: form.fields, errors: fieldErrors, problem: fieldErrors.isEmpty ? detail : nil, status: .unprocessableContent)
        }
    }
}
