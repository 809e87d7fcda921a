import Access
import Foundation
import Hummingbird
import LedgerValues
import Projections
import Queries
import Reports
import SocialValue

/// The pledge, from the supplier's portal table: the officer uploads the table, sees every line
/// recomputed against the catalog with the import's findings, and only then records it. The
/// check and the record are the API's `POST /imports/portal` (with and without `dry-run`), by
/// the same code (``LedgerServer/portalPlan(_:catalog:)``, ``LedgerServer/portalPending``), so
/// the page records exactly what the API would, all or nothing, and nothing while a finding
/// blocks it. The table travels from the check to the record inside the form, so what is
/// recorded is what was shown.
extension LedgerServer {
    /// What the pledge page shows: the table checked so far, the choices, and what went wrong.
    struct PledgeForm {
        var values: [String: String] = [:]
        var errors: [WebPage.FieldError] = []
        var problem: String?
        /// The table as sent, and its recomputation.
        var checked: (bytes: [UInt8], filename: String, plan: PortalImport)?
    }

    func pledgePage(_ context: ServerContext, form: PledgeForm = PledgeForm(), status: HTTPResponse.Status = .ok) async throws -> Response {
        let session = context.sessions.session
        guard let reference = context.parameters.get("contract")?.removingPercentEncoding, let session else { return WebResponse.notFound(session: session) }
        let view = try await contractView(reference, ReadPoint(), nil)
        guard let contract = view.snapshot.contract(reference) else { return WebResponse.notFound(session: session) }
        let path = "/app/contracts/\(reference.addingFormEncoding)/pledge"
        let back: HTML = "<p><a href=\"/app/contracts/\(reference.addingFormEncoding)\">Back to the contract</a></p>"
        guard Self.takesPledge(contract) else {
            return WebResponse.page(status: .conflict, title: "No pledge can be recorded", session: session, main: """
                <p class="caption">\(reference): \(contract.title)</p><h1>No pledge can be recorded</h1>
                <p>\(contract.lines.isEmpty ? "A pledge is recorded once the contract is awarded." : "This contract's pledge is recorded: change its commitments with a review refresh.")</p>\(back)
                """)
        }
        let values = form.values
        let version = values["version"] ?? String(contract.version)
        let catalogs = view.snapshot.reference.catalogs.values.flatMap { $0 }.sorted { ($0.id, $0.effectiveDate) < ($1.id, $1.effectiveDate) }
        let chosen = values["catalog"] ?? catalogs.last?.reference ?? ""
        let options: [HTML] = catalogs.reversed().map { catalog in
            "<option value=\"\(catalog.reference)\"\(catalog.reference == chosen ? HTML(" selected") : .empty)>\(catalog.title) (\(catalog.reference))</option>"
        }
        let token = WebPage.formToken(session)
        let hasError = { (name: String) -> HTML in form.errors.contains { $0.field == name } ? " field-has-error" : .empty }

        let upload: HTML = """
            <form method="post" action="\(path)" enctype="multipart/form-data" id="check-table" novalidate>
            \(token)<input type="hidden" name="version" value="\(version)">
            <div class="field\(hasError("table"))"><label for="table">The supplier's pledge table</label>
            <p class="hint">The table from the Social Value Portal, saved as CSV or as tab-separated text. Nothing is recorded until you have seen every line checked.</p>
            \(Self.fieldError("table", form.errors))<input type="file" id="table" name="table" accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain"></div>
            <div class="field\(hasError("catalog"))"><label for="catalog">Price with the catalog</label>
            \(Self.fieldError("catalog", form.errors))<select id="catalog" name="catalog">\(options)</select></div>
            <button type="submit" class="button\(form.checked == nil ? HTML("") : " secondary")">Check the table</button>
            </form>
            """
        var checked: HTML = .empty
        if let (bytes, filename, plan) = form.checked {
            let blocking = plan.blockingFindings(useComputed: values["useComputed"] == "yes", addMeasures: values["addMeasures"] == "yes")
            let always = plan.blockingFindings(useComputed: true, addMeasures: true)
            let kinds = Set(plan.findings.map(\.kind))
            let choices: [HTML] = [
                kinds.contains(.valueDisagrees) || kinds.contains(.proxyDiffers)
                    ? Self.checkbox("useComputed", "Record the recomputed values where the table's disagree", values: values) : .empty,
                kinds.contains(.unknownMeasure)
                    ? Self.checkbox("addMeasures", "Add the measures the catalog does not know, as a new version of it", values: values) : .empty,
            ]
            let record: HTML = always.isEmpty
                ? """
                    <form method="post" action="\(path)" enctype="multipart/form-data" id="record-pledge" novalidate>
                    \(token)<input type="hidden" name="version" value="\(version)">
                    <input type="hidden" name="catalog" value="\(plan.catalog.reference)">
                    <input type="hidden" name="filename" value="\(filename)">
                    <input type="hidden" name="table" value="\(Data(bytes).base64EncodedString())">
                    \(choices)
                    \(WebPage.field("reason", label: "Why (optional)", value: values["reason"] ?? "", hint: "Recorded in the audit trail. Empty: imported from the upload.", errors: form.errors))
                    <button type="submit" class="button">Record the pledge</button>
                    </form>
                    """
                : "<p>\(always.count) line(s) cannot be recorded as they stand (\(Set(always.map(\.kind.rawValue)).sorted().joined(separator: ", "))). Correct the table, then check it again.</p>"
            checked = """
                <h2>What the table holds, checked</h2>
                <p>\(filename): \(plan.lines.count) line(s) priced under \(plan.catalog.reference). Recomputed total <strong>\(plan.computedTotal.formatted)</strong>; the table's lines state \(plan.statedLinesTotal.formatted).</p>
                \(Self.findingsList(plan.findings, blocking: blocking))
                \(Self.linesTable(plan))
                \(record)
                <h2>Check another table</h2>
                """
        }
        return WebResponse.page(status: status, title: (form.errors.isEmpty && form.problem == nil ? "" : "Error: ") + "Record the pledge: \(reference)", session: session, main: """
            \(WebPage.errorSummary(form.errors))\(WebPage.refusal(form.problem))
            <p class="caption">\(reference): \(contract.title)</p>
            <h1>Record the pledge</h1>
            <p>The supplier\(contract.supplier.map { ", \($0)," } ?? "") pledges the measures and quantities in its table; svledger prices each line itself, quantity × the catalog's proxy value, to the penny.</p>
            \(checked)\(upload)\(back)
            """)
    }

    func submitPledge(_ context: ServerContext) async throws -> Response {
        let identity = try context.requireIdentity()
        guard let reference = context.parameters.get("contract")?.removingPercentEncoding else { return WebResponse.notFound(session: context.sessions.session) }
        let fields = context.form ?? WebForm([:])
        var form = PledgeForm(values: fields.fields)
        // A file: check it. Otherwise the table the check showed, sent back to be recorded.
        let recording = fields.files["table"] == nil
        let bytes: [UInt8], filename: String
        if let file = fields.files["table"] {
            (bytes, filename) = (file.bytes, file.filename.isEmpty ? "the table" : file.filename)
        } else if let sent = Data(base64Encoded: fields.text("table")), !sent.isEmpty {
            (bytes, filename) = (Array(sent), fields.text("filename"))
        } else {
            form.errors.append(.init(field: "table", message: "Choose the supplier's pledge table"))
            return try await pledgePage(context, form: form, status: .unprocessableContent)
        }
        if bytes.isEmpty {
            // A browser sends the file field even when no file was chosen: empty, with no name.
            let chosen = fields.files["table"].map { !$0.filename.isEmpty } ?? true
            form.errors.append(.init(field: "table", message: chosen ? "The file chosen is empty: choose the supplier's pledge table" : "Choose the supplier's pledge table"))
            return try await pledgePage(context, form: form, status: .unprocessableContent)
        }
        let plan: PortalImport, published: ReferenceData
        do {
            (plan, _, published) = try await portalPlan(bytes, catalog: fields.text("catalog"))
        } catch let problem as Problem {
            form.errors.append(.init(field: problem.kind == "unknown-catalog" ? "catalog" : "table", message: problem.detail))
            return try await pledgePage(context, form: form, status: .unprocessableContent)
        }
        form.checked = (bytes, filename, plan)
        guard recording else { return try await pledgePage(context, form: form) }

        let answer: StoredAnswer
        do {
            let reason = fields.text("reason")
            let pending = try portalPending(
                plan, published: published, contract: reference, identity: identity,
                options: PortalOptions(useComputed: fields["useComputed"] == "yes", addMeasures: fields["addMeasures"] == "yes", reason: reason.isEmpty ? nil : reason),
                expectedVersion: UInt64(fields.text("version")), key: nil, digest: "")
            answer = await committer.submit(pending)
        } catch {
            answer = StoredAnswer(Problem.from(error))
        }
        if answer.status == .created {
            return WebResponse.redirect("/app/contracts/\(reference.addingFormEncoding)?notice=" + "Recorded: the pledge, \(plan.lines.filter { $0.quantity != nil }.count) line(s).".addingFormEncoding)
        }
        let problem = try? JSONValue(parsing: answer.body)
        if problem?["kind"]?.stringValue == "concurrency-conflict" {
            form.problem = PageOutcome.changed("check the contract, then record the pledge again.")
            form.values["version"] = nil
        } else if problem?["kind"]?.stringValue == "import-refused" {
            form.problem = "Some lines cannot be recorded with the choices made: see the findings marked as blocking."
        } else {
            form.problem = problem?["detail"]?.stringValue ?? "The pledge could not be recorded."
        }
        return try await pledgePage(context, form: form, status: .unprocessableContent)
    }

    /// A pledge is recorded once, after the award (or for a running contract with its supplier).
    static func takesPledge(_ contract: ContractProjection) -> Bool {
        contract.supplier != nil && contract.lines.isEmpty && contract.stage != .closed
    }

    static func checkbox(_ name: String, _ label: String, values: [String: String]) -> HTML {
        """
        <div class="field checkbox"><input type="checkbox" id="\(name)" name="\(name)" value="yes"\(values[name] == "yes" ? HTML(" checked") : .empty)>
        <label for="\(name)">\(label)</label></div>
        """
    }

    static func findingsList(_ findings: [PortalImport.Finding], blocking: [PortalImport.Finding]) -> HTML {
        guard !findings.isEmpty else { return "<p class=\"notice success\">Every line agrees with the catalog: no findings.</p>" }
        let items: [HTML] = findings.map { finding in
            let blocks = blocking.contains(finding)
            let line = finding.line.map { "Line \($0)" } ?? "The table"
            return "<li\(blocks ? HTML(" class=\"blocking\"") : .empty)><strong>\(line)\(finding.measure.map { ", \($0)" } ?? "")</strong> (\(finding.kind.rawValue)\(blocks ? ", blocks the record" : "")): \(finding.message)</li>"
        }
        return "<h3>Findings (\(findings.count))</h3><ul class=\"findings\">\(items)</ul>"
    }

    static func linesTable(_ plan: PortalImport) -> HTML {
        let noted = Set(plan.findings.compactMap(\.line))
        let rows: [HTML] = plan.lines.map { line in
            """
            <tr\(noted.contains(line.row.line) ? HTML(" class=\"finding\"") : .empty)><td class="num">\(line.row.line)</td><th scope="row">\(line.row.reference)\(line.known ? HTML("") : " <span class=\"muted\">(not in the catalog)</span>")</th>
            <td>\(line.row.units)</td><td class="num">\(line.quantity?.readable(decimals: 4) ?? (line.row.answer.isEmpty ? "–" : line.row.answer))</td>
            <td class="num">\(line.stated?.formatted ?? "–")</td><td class="num">\(line.computed?.formatted ?? "–")</td></tr>
            """
        }
        return """
            <table>
            <caption>Each line of the table, with the value it states and the value svledger computes</caption>
            <thead><tr><th scope="col" class="num">Line</th><th scope="col">Measure</th><th scope="col">Unit</th><th scope="col" class="num">Quantity</th><th scope="col" class="num">Stated</th><th scope="col" class="num">Recomputed</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            """
    }
}
