import Access
import Hummingbird
import LedgerValues
import Queries
import Reports
import SocialValue
import Spreadsheets

/// Returns from spreadsheets, as pages (docs/spreadsheet-returns.md): the contract's template
/// to download for a quarter, as XLSX or CSV, and a filled one uploaded, checked (findings
/// first) and recorded all or nothing. Only rows of the page's contract are taken: a
/// supplier's upload can reach no other contract.
extension LedgerServer {
    func spreadsheetPage(
        _ context: ServerContext, reading: ReturnsSheet.Reading? = nil, problem: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        _ = try context.requireIdentity()   // the gate has checked a supplier owns the contract
        let session = context.sessions.session
        guard let session, let reference = context.parameters.get("contract")?.removingPercentEncoding else { return WebResponse.notFound(session: session) }
        let view = try await contractView(reference, ReadPoint(), nil)
        guard let contract = view.snapshot.contract(reference), !contract.lines.isEmpty else { return WebResponse.notFound(session: session) }
        // The quarter most likely wanted first: the latest ended one with no return yet.
        let today = today()
        let ended = Self.quarters(of: contract).filter { $0.lastDay < today }
        let chosen = ended.last { !contract.returnedQuarters.contains($0) } ?? ended.last
        let options: [HTML] = Self.quarters(of: contract).reversed().map {
            "<option value=\"\($0.description)\"\($0 == chosen ? HTML(" selected") : .empty)>\($0.description)</option>"
        }
        var checked: HTML = .empty
        if let reading {
            let returns: [HTML] = reading.returns.map { r in
                "<li>\(r.contract) \(r.quarter.description): \(r.lines.map { "\($0.measure) \($0.quantity.normalized)" }.joined(separator: ", "))</li>"
            }
            let findings: [HTML] = reading.findings.map { f in
                "<li>Row \(f.row)\(f.column.map { ", \($0)" } ?? ""): \(f.message) <span class=\"muted\">(\(f.kind))</span></li>"
            }
            let formulas: HTML = reading.formulas > 0 ? "<p>Read the saved values of \(reading.formulas) formula cells; svledger never works formulas out.</p>" : .empty
            let summary: HTML = findings.isEmpty
                ? "<p class=\"notice success\">No findings. To record it, choose the file again, confirm, and record it.</p>"
                : "<div class=\"error-summary\" role=\"alert\"><h2>\(findings.count) finding\(findings.count == 1 ? "" : "s"): nothing was recorded</h2><ul>\(findings)</ul></div>"
            checked = """
                <h2>What the sheet holds</h2><ul>\(returns)</ul>\(formulas)
                \(summary)
                """
        }
        return WebResponse.page(status: status, title: (problem == nil && (reading?.findings.isEmpty ?? true) ? "" : "Error: ") + "Return from a spreadsheet", session: session, main: """
            \(WebPage.refusal(problem))
            <p class="caption">\(reference): \(contract.title)</p>
            <h1>Return from a spreadsheet</h1>
            <h2>1. Download the return to fill in</h2>
            <form method="get" action="/app/contracts/\(reference.addingFormEncoding)/spreadsheet/template" class="filters">
            <div class="field inline"><label for="quarter">Quarter</label><select id="quarter" name="quarter">\(options)</select></div>
            <div class="field inline"><label for="format">As</label><select id="format" name="format"><option value="xlsx">Excel workbook (.xlsx)</option><option value="csv">CSV</option></select></div>
            <button type="submit" class="button secondary">Download</button>
            </form>
            <p>Fill in quantity and evidence for each measure delivered in the quarter; leave the other columns as they are.</p>
            <h2>2. Upload it filled in</h2>
            \(checked)
            <form method="post" action="/app/contracts/\(reference.addingFormEncoding)/spreadsheet" enctype="multipart/form-data" novalidate>
            \(WebPage.formToken(session))
            <div class="field"><label for="sheet">The filled return (.xlsx or .csv, up to 25 MB)</label><input type="file" id="sheet" name="sheet" accept=".xlsx,.csv"></div>
            <div class="field checkbox"><input type="checkbox" id="attribution" name="attribution" value="yes">
            <label for="attribution">I confirm these figures were delivered under this contract, and are not counted under another</label></div>
            <button type="submit" name="check" value="yes" class="button secondary">Check it</button>
            <button type="submit" class="button">Record it</button>
            </form>
            <p><a href="/app/contracts/\(reference.addingFormEncoding)">Back to the contract</a></p>
            """)
    }

    func spreadsheetTemplate(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try context.requireIdentity()
        let reference = try contractParameter(context)
        let query = request.uri.queryParameters
        guard let quarter = query["quarter"].flatMap({ FinancialQuarter(String($0)) }) else { throw Problem(.invalidQuery, "quarter is a quarter like 2025-26-Q3") }
        let csv = query["format"].map(String.init) == "csv"
        let view = try await contractView(reference, ReadPoint(), nil)
        let rows: [[XLSXWriter.Value]]
        do { rows = try ReturnsSheet.template(view.snapshot, contract: reference, quarter: quarter) } catch { throw Problem.contractNotFound(reference) }
        let bytes = csv ? Array(ReturnsSheet.csv(rows).utf8) : try XLSXWriter.write(rows, sheetName: "Return \(quarter)")
        var headers = HTTPFields()
        headers[.contentType] = csv ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        headers[.contentDisposition] = Self.attachment("return-\(reference)-\(quarter).\(csv ? "csv" : "xlsx")")
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func submitSpreadsheet(_ context: ServerContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let reference = try contractParameter(context)
        let form = context.form ?? WebForm([:])
        guard let file = form.allFiles.first(where: { !$0.bytes.isEmpty }) else {
            return try await spreadsheetPage(context, problem: "Choose the filled return to upload.", status: .unprocessableContent)
        }
        let sheet: Sheet
        do {
            // Parsed off the server's event loops: a large workbook takes a second or two.
            let bytes = file.bytes, name = file.filename
            sheet = try await offload { try ReturnsSheet.sheet(bytes, name: name) }
        } catch let error as SpreadsheetError {
            return try await spreadsheetPage(context, problem: error.message, status: .unprocessableContent)
        }
        let view = try await contractView(reference, ReadPoint(), nil)
        var reading = ReturnsSheet.read(sheet, snapshot: view.snapshot)
        // The page's contract only: rows of another are findings, never commands.
        for entry in reading.returns where entry.contract != reference {
            reading.findings.append(.init(row: entry.lines.first?.row ?? 1, column: "contract", kind: "another-contract", message: "\(entry.contract) is not this page's contract, \(reference)"))
        }
        reading.returns.removeAll { $0.contract != reference }
        let actor = ActorIdentity(id: identity.account, role: identity.role.rawValue)
        let snapshot = view.snapshot
        try ReturnsSheet.checkRules(&reading, actor: actor, context: DecisionContext(reference: snapshot.reference, today: today())) { contract in
            try self.ledger.contractState(contract).state
        }
        let attribution = form.text("attribution") == "yes"
        if !attribution, form.text("check") != "yes" {
            reading.findings.insert(.init(row: 1, column: nil, kind: "attribution-not-confirmed", message: "Confirm the figures are for this contract and these quarters only"), at: 0)
        }
        if reading.returns.isEmpty, reading.findings.isEmpty {
            reading.findings.append(.init(row: 1, column: "quantity", kind: "nothing-to-record", message: "The sheet reports no quantity"))
        }
        guard form.text("check") != "yes", reading.findings.isEmpty else {
            return try await spreadsheetPage(context, reading: reading, status: reading.findings.isEmpty ? .ok : .unprocessableContent)
        }
        // All the sheet's returns in one batch: all recorded, or none.
        do {
            let pending = try reading.returns.map { entry in
                try prepare(ReturnsSheet.command(entry, actor: actor, attributionConfirmed: true), identity: identity, ifMatch: nil, key: nil, digest: "")
            }
            let batch = PendingCommand(
                commands: pending.flatMap(\.commands), identity: identity, stream: ContractEvent.stream(contract: reference), expectedVersions: [:], key: nil,
                digest: "")
            let answer = await committer.submit(batch)
            switch PageOutcome(answer, otherwise: "It could not be recorded.") {
            case .recorded:
                return WebResponse.redirect("/app/contracts/\(reference.addingFormEncoding)?notice=" + "Recorded: \(reading.returns.count) return\(reading.returns.count == 1 ? "" : "s") from \(file.filename).".addingFormEncoding)
            case .changedMeanwhile:
                return try await spreadsheetPage(context, reading: reading, problem: PageOutcome.changed("upload it again."), status: .conflict)
            case .refused(_, let detail):
                return try await spreadsheetPage(context, reading: reading, problem: detail, status: .unprocessableContent)
            }
        } catch {
            return try await spreadsheetPage(context, reading: reading, problem: "\(error)", status: .unprocessableContent)
        }
    }
}
