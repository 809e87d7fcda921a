import Access
import Hummingbird
import LedgerValues
import Projections
import Queries
import Reports
import SocialValue

/// The supplier's quarterly return and its correction, as forms: one row per pledged measure
/// (quantity and evidence reference), a row for a measure not pledged, and the attribution
/// confirmation. What is sent is the same `delivery.report` or `delivery.correct` command the
/// API takes, prepared and committed by the same code (``LedgerServer/prepare(_:identity:ifMatch:key:digest:)``),
/// so a form can do nothing its role could not do through the API. A refusal shows the rule's
/// words beside the field it names, keeps what was typed, and writes nothing. The contract's
/// version when the page was loaded goes back with the form (`If-Match`): if someone changed
/// the contract since, the form says so and records nothing.
extension LedgerServer {
    /// What a return form shows: the values typed so far and the errors against them.
    struct ReturnForm {
        var values: [String: String] = [:]
        var errors: [WebPage.FieldError] = []
        /// A refusal that names no field of the form.
        var problem: String?
    }

    enum ReturnKind {
        case report
        case correction

        var path: String {
            switch self {
            case .report: "return"
            case .correction: "correction"
            }
        }
    }

    func returnPage(_ request: Request, _ context: ServerContext, kind: ReturnKind, form: ReturnForm = ReturnForm(), status: HTTPResponse.Status = .ok) async throws -> Response {
        _ = try context.requireIdentity()   // signed in (the gate has checked a supplier owns the contract)
        let session = context.sessions.session
        guard let reference = context.parameters.get("contract")?.removingPercentEncoding else { return WebResponse.notFound(session: session) }
        let view = try await contractView(reference, ReadPoint(), nil)
        guard let contract = view.snapshot.contract(reference) else { return WebResponse.notFound(session: session) }
        guard !contract.lines.isEmpty, let session else {
            return WebResponse.page(status: .conflict, title: "No pledge yet", session: session, main: """
                <h1>No pledge yet</h1><p>\(reference) has no pledge to report delivery against. <a href="/app/contracts/\(reference.addingFormEncoding)">Back to the contract</a>.</p>
                """)
        }
        let values = form.values
        let version = values["version"] ?? String(contract.version)
        let title = kind == .report ? "Quarterly return" : "Correct a return"

        let choose: HTML
        switch kind {
        case .report:
            let today = today()
            let ended = Self.quarters(of: contract).filter { $0.lastDay < today }
            let returned = Set(contract.returnedQuarters)
            let chosen = values["quarter"] ?? (ended.last { !returned.contains($0) } ?? ended.last)?.description ?? ""
            let options: [HTML] = ended.reversed().map { quarter in
                "<option value=\"\(quarter.description)\"\(quarter.description == chosen ? HTML(" selected") : .empty)>\(quarter.description)\(returned.contains(quarter) ? " (a return was made)" : "")</option>"
            }
            choose = ended.isEmpty
                ? "<p>No quarter of this contract's term has ended yet: a return is made once its quarter has ended.</p>"
                : """
                    <div class="field\(form.errors.contains { $0.field == "quarter" } ? " field-has-error" : "")"><label for="quarter">Quarter</label>
                    \(Self.fieldError("quarter", form.errors))<select id="quarter" name="quarter">\(options)</select></div>
                    """
        case .correction:
            let audit = try await offload { try self.audit(contract: reference, since: nil, point: ReadPoint(), changes: false) }
            let returns = audit.entries.filter { $0.eventType == "DeliveryReported" || $0.eventType == "DeliveryCorrected" }.reversed()
            let chosen = values["corrects"] ?? ""
            let items: [HTML] = returns.map { entry in
                """
                <div class="radio"><input type="radio" id="corrects-\(entry.eventId)" name="corrects" value="\(entry.eventId)"\(entry.eventId == chosen ? HTML(" checked") : .empty)>
                <label for="corrects-\(entry.eventId)">\(entry.summary) <span class="muted">(recorded \(Timestamp(entry.recordedAt)?.date.longForm ?? entry.recordedAt) by \(entry.actorId))</span></label></div>
                """
            }
            let hasError = form.errors.contains { $0.field == "corrects" }
            choose = returns.isEmpty
                ? "<p>No return has been made for this contract, so there is nothing to correct.</p>"
                : """
                    <fieldset class="field\(hasError ? " field-has-error" : "")" id="corrects"><legend>The return to correct</legend>
                    \(Self.fieldError("corrects", form.errors))\(items)</fieldset>
                    """
        }

        let rows: [HTML] = contract.lines.filter { $0.current != nil }.map { line in
            let quantity = "quantity-\(line.measure)", evidence = "evidence-\(line.measure)"
            return """
                <tr><th scope="row">\(line.measure)<br><span class="muted">\(line.unit), committed \(line.current?.quantity.readable(decimals: 4) ?? "–")</span></th>
                <td>\(Self.cell(quantity, label: "Quantity of \(line.measure)", values: values, errors: form.errors, inputMode: "decimal"))</td>
                <td>\(Self.cell(evidence, label: "Evidence reference for \(line.measure)", values: values, errors: form.errors))</td>
                <td>\(Self.fileCell("file-\(line.measure)", label: "Evidence file for \(line.measure)", errors: form.errors))</td></tr>
                """
        }
        let problem = WebPage.refusal(form.problem)
        let reason: HTML = kind == .correction
            ? WebPage.field("reason", label: "Why the figures are corrected", value: values["reason"] ?? "", hint: "Recorded in the audit trail with the correction.", errors: form.errors)
            : .empty
        let attribution: HTML = kind == .report
            ? """
                <div class="field checkbox\(form.errors.contains { $0.field == "attribution" } ? " field-has-error" : "")">\(Self.fieldError("attribution", form.errors))
                <input type="checkbox" id="attribution" name="attribution" value="yes"\(values["attribution"] == "yes" ? HTML(" checked") : .empty)>
                <label for="attribution">I confirm these figures were delivered under this contract, and are not counted under another</label></div>
                """
            : .empty
        return WebResponse.page(status: status, title: (form.errors.isEmpty && form.problem == nil ? "" : "Error: ") + "\(title): \(reference)", session: session, main: """
            \(WebPage.errorSummary(form.errors))\(problem)
            <p class="caption">\(reference): \(contract.title)</p>
            <h1>\(title)</h1>
            <form method="post" action="/app/contracts/\(reference.addingFormEncoding)/\(kind.path)" enctype="multipart/form-data" novalidate>
            \(WebPage.formToken(session))<input type="hidden" name="version" value="\(version)">
            \(choose)
            <table class="return">
            <caption>What was delivered in the quarter, per measure. Leave a measure empty if nothing is reported for it.</caption>
            <thead><tr><th scope="col">Measure</th><th scope="col">Quantity</th><th scope="col">Evidence reference</th><th scope="col">Evidence file (optional)</th></tr></thead>
            <tbody>\(rows)
            <tr><th scope="row">\(Self.cell("extra-measure", label: "A measure not pledged (its code)", values: values, errors: form.errors, visibleLabel: true))</th>
            <td>\(Self.cell("extra-quantity", label: "Quantity of the measure not pledged", values: values, errors: form.errors, inputMode: "decimal"))</td>
            <td>\(Self.cell("extra-evidence", label: "Evidence reference for the measure not pledged", values: values, errors: form.errors))</td>
            <td>\(Self.fileCell("extra-file", label: "Evidence file for the measure not pledged", errors: form.errors))</td></tr>
            </tbody>
            </table>
            <p class="hint">An evidence file is a PDF, a photograph (PNG or JPEG), or a CSV, XLSX or DOCX file, up to 25 MiB. The council keeps it with the return; choose it again if the form comes back with an error.</p>
            \(reason)\(attribution)
            <button type="submit" class="button">\(kind == .report ? "Send the return" : "Record the correction")</button>
            </form>
            <p><a href="/app/contracts/\(reference.addingFormEncoding)">Back to the contract</a></p>
            """)
    }

    func submitReturn(_ request: Request, _ context: ServerContext, kind: ReturnKind) async throws -> Response {
        let identity = try context.requireIdentity()
        let session = context.sessions.session
        guard let reference = context.parameters.get("contract")?.removingPercentEncoding else { return WebResponse.notFound(session: session) }
        let fields = context.form ?? WebForm([:])
        var form = ReturnForm(values: fields.fields)
        let view = try await contractView(reference, ReadPoint(), nil)
        guard let contract = view.snapshot.contract(reference) else { return WebResponse.notFound(session: session) }

        // The lines typed, in the order of the form, each remembering the fields it came from,
        // with the evidence file chosen for it, if any.
        var lines: [JSONValue] = [], sources: [(quantity: String, evidence: String, measure: String?)] = [], evidence: [[UInt8]] = []
        func line(_ measure: String, quantity: String, reference: String, file field: String) -> JSONValue {
            var members: JSONObject = ["measure": .string(measure), "quantity": .string(quantity), "evidence": .string(reference)]
            if let file = fields.files[field], !file.filename.isEmpty {
                do {
                    members["evidenceFiles"] = [try EvidenceFile.describing(file.bytes, name: file.filename).json]
                    evidence.append(file.bytes)
                } catch {
                    form.errors.append(.init(field: field, message: error.wording.description))
                }
            }
            return .object(members)
        }
        for committed in contract.lines where committed.current != nil {
            let quantity = fields.text("quantity-\(committed.measure)"), reference = fields.text("evidence-\(committed.measure)")
            guard !quantity.isEmpty || !reference.isEmpty else { continue }
            lines.append(line(committed.measure, quantity: quantity, reference: reference, file: "file-\(committed.measure)"))
            sources.append(("quantity-\(committed.measure)", "evidence-\(committed.measure)", nil))
        }
        let extra = fields.text("extra-measure")
        if !extra.isEmpty || !fields.text("extra-quantity").isEmpty {
            lines.append(line(extra, quantity: fields.text("extra-quantity"), reference: fields.text("extra-evidence"), file: "extra-file"))
            sources.append(("extra-quantity", "extra-evidence", "extra-measure"))
        }
        if lines.isEmpty { form.errors.append(.init(field: sources.first?.quantity ?? "extra-quantity", message: "Enter at least one quantity delivered")) }

        var command: [String: JSONValue] = [
            "contract": .string(reference), "lines": .array(lines),
            "actor": ["id": .string(identity.account), "role": .string(identity.role.rawValue)],
        ]
        switch kind {
        case .report:
            command["command"] = "delivery.report"
            command["quarter"] = .string(fields.text("quarter"))
            command["attributionConfirmed"] = .bool(fields["attribution"] == "yes")
            if fields["attribution"] != "yes" {
                form.errors.append(.init(field: "attribution", message: "Confirm that these figures were delivered under this contract"))
            }
        case .correction:
            command["command"] = "delivery.correct"
            command["correctsEventId"] = .string(fields.text("corrects"))
            command["reason"] = .string(fields.text("reason"))
            if fields.text("corrects").isEmpty { form.errors.append(.init(field: "corrects", message: "Choose the return to correct")) }
            if fields.text("reason").isEmpty { form.errors.append(.init(field: "reason", message: "Say why the figures are corrected")) }
        }
        guard form.errors.isEmpty else { return try await returnPage(request, context, kind: kind, form: form, status: .unprocessableContent) }

        switch PageOutcome(await submitFromPage(command, identity: identity, version: fields.text("version"), evidence: evidence), otherwise: "The return could not be recorded.") {
        case .recorded:
            let notice = kind == .report ? "Your return is recorded." : "Your correction is recorded."
            return WebResponse.redirect("/app/contracts/\(reference.addingFormEncoding)?notice=" + notice.addingFormEncoding)
        case .changedMeanwhile:
            form.problem = PageOutcome.changed("open the contract again to see the change, then send your figures.")
            form.values["version"] = nil
        case .refused(let problem, let detail):
            // The rule's words beside each field it names (its JSON pointers), else above the form.
            let pointers = problem?["fields"]?.arrayValue?.compactMap(\.stringValue) ?? []
            for pointer in pointers { if let field = Self.formField(pointer, sources: sources) { form.errors.append(.init(field: field, message: detail)) } }
            if form.errors.isEmpty { form.problem = detail }
        }
        return try await returnPage(request, context, kind: kind, form: form, status: .unprocessableContent)
    }

    /// The form field a JSON pointer of the command names: `/lines/1/quantity` → the second
    /// line's quantity field; `/quarter`, `/attributionConfirmed` and the rest by name.
    static func formField(_ pointer: String, sources: [(quantity: String, evidence: String, measure: String?)]) -> String? {
        let parts = pointer.split(separator: "/").map(String.init)
        if parts.first == "lines" {
            guard parts.count >= 2, let index = Int(parts[1]), sources.indices.contains(index) else { return sources.first?.quantity }
            switch parts.count > 2 ? parts[2] : "quantity" {
            case "evidence": return sources[index].evidence
            // The line's file input: "quantity-NT1" → "file-NT1", "extra-quantity" → "extra-file".
            case "evidenceFiles": return sources[index].quantity == "extra-quantity" ? "extra-file" : "file-" + sources[index].quantity.dropFirst("quantity-".count)
            case "measure": return sources[index].measure ?? sources[index].quantity
            default: return sources[index].quantity
            }
        }
        switch parts.first {
        case "quarter": return "quarter"
        case "attributionConfirmed": return "attribution"
        case "correctsEventId": return "corrects"
        case "reason": return "reason"
        default: return nil
        }
    }

    /// A command sent from a page, as the API's `POST /commands` sends it: prepared (what the
    /// role may never do is refused here) and committed by the one writer, with the page's
    /// contract version as `If-Match`. A refusal comes back as the API's problem answer.
    func submitFromPage(_ command: [String: JSONValue], identity: AccessState.Identity, version: String, evidence: [[UInt8]] = []) async -> StoredAnswer {
        do {
            var pending = try prepare(.object(JSONObject(command)), identity: identity, ifMatch: UInt64(version), key: nil, digest: "")
            pending.evidence = evidence
            return await committer.submit(pending)
        } catch {
            return StoredAnswer(Problem.from(error))
        }
    }

    /// What a command sent from a page came to, as the page shows it.
    enum PageOutcome {
        case recorded
        /// The contract changed after the page was loaded (its `If-Match` failed).
        case changedMeanwhile
        /// Refused: the problem answer, and its words.
        case refused(JSONValue?, detail: String)

        init(_ answer: StoredAnswer, otherwise: String) {
            if answer.status == .created {
                self = .recorded
                return
            }
            let problem = try? JSONValue(parsing: answer.body)
            self = problem?["kind"]?.stringValue == "concurrency-conflict" ? .changedMeanwhile : .refused(problem, detail: problem?["detail"]?.stringValue ?? otherwise)
        }

        /// What a page says when the contract changed under it, then what to do.
        static func changed(_ then: String) -> String {
            "Someone else changed this contract after you opened this page. Nothing was recorded: \(then)"
        }
    }

    /// The financial quarters of a contract's term, in order.
    static func quarters(of contract: ContractProjection) -> [FinancialQuarter] {
        var quarters: [FinancialQuarter] = []
        var quarter = FinancialQuarter(containing: contract.startDate)
        let last = FinancialQuarter(containing: min(contract.endDate, contract.closedOn ?? contract.endDate))
        while quarter <= last, quarters.count < 200 {
            quarters.append(quarter)
            quarter = quarter.next
        }
        return quarters
    }

    /// A file input for a line's evidence file (not kept when the form comes back: a browser
    /// never lets a page fill in a file).
    static func fileCell(_ name: String, label: String, errors: [WebPage.FieldError]) -> HTML {
        let error = errors.contains { $0.field == name }
        return """
            <div class="\(error ? "field-has-error" : "")"><label for="\(name)" class="visually-hidden">\(label)</label>\(fieldError(name, errors))<input type="file" id="\(name)" name="\(name)" accept=".pdf,.png,.jpg,.jpeg,.csv,.xlsx,.docx"\(error ? HTML(" aria-invalid=\"true\"") : .empty)></div>
            """
    }

    static func fieldError(_ name: String, _ errors: [WebPage.FieldError]) -> HTML {
        errors.first { $0.field == name }.map { "<p class=\"field-error\" id=\"\(name)-error\"><span class=\"visually-hidden\">Error:</span> \($0.message)</p>" } ?? .empty
    }

    /// An input in a table cell: labelled for screen readers (visibly, for the measure code).
    static func cell(
        _ name: String, label: String, values: [String: String], errors: [WebPage.FieldError], inputMode: String? = nil, visibleLabel: Bool = false
    ) -> HTML {
        let error = errors.contains { $0.field == name }
        let mode: HTML = inputMode.map { " inputmode=\"\($0)\"" } ?? .empty
        let invalid: HTML = error ? " aria-invalid=\"true\" aria-describedby=\"\(name)-error\"" : .empty
        return """
            <div class="\(error ? "field-has-error" : "")"><label for="\(name)" class="\(visibleLabel ? "" : "visually-hidden")">\(label)</label>\(fieldError(name, errors))<input type="text" id="\(name)" name="\(name)" value="\(values[name] ?? "")"\(mode)\(invalid)></div>
            """
    }
}
