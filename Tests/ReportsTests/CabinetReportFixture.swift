import EventStore
import LedgerValues
import Foundation
import Ledger
import Projections
import Reports
import SocialValue
import TestSupport

/// A small portfolio in a ledger of its own, made in-process with the shipped policy and
/// catalog, holding every case the Cabinet report must show:
///
/// - RT-1 (title with `<b>&"'`): pledged NT1 24, NT10 70, NT18 650,000 and the £0-proxy CBC5 RBC1;
///   Q1 return NT1 6 (corrected to 5), NT10 17 and the unpledged NT28 500; Q2 return NT1 6, NT10 18,
///   NT18 140,000.
/// - RT-2: exemption granted (business case BC-2025-007), no pledge.
/// - RT-3: weighting 7.5% by board override, pledged NT10 52 and NT29 100, no return (Q1 late).
/// - RT-4: assessed above threshold, weighting 10%, no pledge.
/// - RT-5: an existing supplier since 2024, registered as migrated (it started before the ledger
///   did), pledged NT1 3; returns for 2024-25-Q3 (NT1 1) and
///   2025-26-Q2 (NT1 0.5), so its to-date and year-to-date figures differ.
/// - RT-6: assessed below threshold.
///
/// With `twoCouncils`, the ledger also describes Lancashire County Council (its own four
/// themes, taking the Portal's; directorates Highways and Property) and holds a second council,
/// Leicestershire, with LEI-1 (Culture, Melton: pledged NT8 40 and NT19 30,000; Q1 return NT8 6,
/// NT19 2,800), and a Lancashire contract of another directorate, RT-7 (Property, Chorley:
/// pledged NT1 2; Q1 return NT1 1).
struct CabinetReportFixture {
    static let today = CalendarDate("2026-11-22")!
    static let period = FinancialQuarter("2025-26-Q2")!
    static let generatedAt = "2026-11-22T09:30:00.000Z"
    static let awkwardTitle = #"Resurfacing <b>&"' works"#

    let directory = TemporaryDirectory("svledger-cabinet")
    let ledger: Ledger

    init(twoCouncils: Bool = false) throws {
        ledger = try Ledger(store: try EventStore(path: directory.child("ledger"), mode: .create))
        let head = #""actor": {"id": "r.shah", "role": "Head of Procurement"}"#
        let officer = #""actor": {"id": "a.patel", "role": "Procurement Officer"}"#
        let supplier = #""actor": {"id": "p.okafor", "role": "Supplier"}"#
        func register(
            _ c: String, _ title: String, value: String, start: String = "2025-04-01", end: String = "2028-03-31", extra: String = "",
            department: String = "Highways", area: String = "Preston", policy: String = "lancashire-2024-28"
        ) -> String {
            #"{"command": "contract.register", "contract": "\#(c)", \#(officer), "effectiveDate": "2025-02-03", "title": \#(Self.json(title)), "buyerDepartment": "\#(department)", "category": "works", "estimatedWholeLifeValueGBP": "\#(value)", "startDate": "\#(start)", "endDate": "\#(end)", "areasServed": ["\#(area)"], "policyId": "\#(policy)"\#(extra)}"#
        }
        let assess = { (c: String) in #"{"command": "threshold.assess", "contract": "\#(c)", \#(officer), "effectiveDate": "2025-02-03"}"# }
        let award = { (c: String, who: String) in #"{"command": "contract.award", "contract": "\#(c)", \#(head), "effectiveDate": "2025-03-14", "supplier": "\#(who)", "valueGBP": "£400,000"}"# }
        try run([
            #"{"command": "policy.adopt", "builtin": "lancashire-2024-28", \#(head)}"#,
            #"{"command": "catalog.publish", "builtin": "portal-003", \#(head)}"#,
            register("RT-1", Self.awkwardTitle, value: "£4,250,000"), assess("RT-1"),
            #"{"command": "weighting.decide", "contract": "RT-1", \#(officer), "effectiveDate": "2025-02-10", "percent": "10", "basis": "policy-minimum"}"#,
            award("RT-1", "North Roads Ltd"),
            #"{"command": "pledge.record", "contract": "RT-1", \#(officer), "effectiveDate": "2025-03-14", "catalog": "portal-003@003.2", "lines": [{"measure": "NT1", "quantity": "24"}, {"measure": "NT10", "quantity": "70"}, {"measure": "NT18", "quantity": "650000"}, {"measure": "CBC5 RBC1", "quantity": "840000"}]}"#,
            register("RT-2", "Flood-modelling licence", value: "£450,000"), assess("RT-2"),
            #"{"command": "exemption.request", "contract": "RT-2", \#(officer), "effectiveDate": "2025-01-28", "businessCaseReference": "BC-2025-007", "reason": "Single proprietary supplier"}"#,
            #"{"command": "exemption.decide", "contract": "RT-2", \#(head), "effectiveDate": "2025-02-04", "decision": "granted", "businessCaseReference": "BC-2025-007", "reason": "No delivery on site; no social value market"}"#,
            award("RT-2", "HydroSim GmbH"),
            register("RT-3", "Bridge inspection programme", value: "£600,000", start: "2025-05-01", end: "2027-04-30"), assess("RT-3"),
            #"{"command": "weighting.decide", "contract": "RT-3", \#(head), "effectiveDate": "2025-03-03", "percent": "7.5", "basis": "board-override", "overrideReason": "Specialist market of three bidders; Board minute 2025/14", "reason": "Board override"}"#,
            award("RT-3", "Span Engineering LLP"),
            #"{"command": "pledge.record", "contract": "RT-3", \#(officer), "effectiveDate": "2025-04-14", "catalog": "portal-003", "lines": [{"measure": "NT10", "quantity": "52"}, {"measure": "NT29", "quantity": "100"}]}"#,
            register("RT-4", "Depot rebuild", value: "£2,000,000"), assess("RT-4"),
            #"{"command": "weighting.decide", "contract": "RT-4", \#(officer), "effectiveDate": "2025-02-10", "percent": "10", "basis": "policy-minimum"}"#,
            register("RT-5", "Grounds maintenance", value: "£1,900,000", start: "2024-04-01", end: "2027-03-31",
                     extra: #", "existingSupplier": "GreenEdge Services Ltd", "migrated": true, "reason": "Existing supplier volunteers a proposal""#),
            #"{"command": "pledge.record", "contract": "RT-5", \#(officer), "effectiveDate": "2024-05-01", "catalog": "portal-003", "lines": [{"measure": "NT1", "quantity": "3"}]}"#,
            register("RT-6", "Office stationery", value: "£50,000"), assess("RT-6"),
            #"{"command": "delivery.report", "contract": "RT-5", \#(supplier), "quarter": "2024-25-Q3", "attributionConfirmed": true, "lines": [{"measure": "NT1", "quantity": "1", "evidence": "GE-Q3"}]}"#,
            #"{"command": "delivery.report", "contract": "RT-5", \#(supplier), "quarter": "2025-26-Q2", "attributionConfirmed": true, "lines": [{"measure": "NT1", "quantity": "0.5", "evidence": "GE-Q2"}]}"#,
            #"{"command": "delivery.report", "contract": "RT-1", \#(supplier), "effectiveDate": "2025-07-12", "quarter": "2025-26-Q1", "attributionConfirmed": true, "lines": [{"measure": "NT1", "quantity": "6", "evidence": "HR-Q1"}, {"measure": "NT10", "quantity": "17", "evidence": "APP-Q1"}, {"measure": "NT28", "quantity": "500", "evidence": "DON-Q1"}]}"#,
        ])
        let q1Return = try ledger.snapshot().contract("RT-1")!.deliveries.first { $0.quarter.description == "2025-26-Q1" }!.source
        try run([
            #"{"command": "delivery.report", "contract": "RT-1", \#(supplier), "effectiveDate": "2025-10-10", "quarter": "2025-26-Q2", "attributionConfirmed": true, "lines": [{"measure": "NT1", "quantity": "6", "evidence": "HR-Q2"}, {"measure": "NT10", "quantity": "18", "evidence": "APP-Q2"}, {"measure": "NT18", "quantity": "140000", "evidence": "FIN-Q2"}]}"#,
            #"{"command": "delivery.correct", "contract": "RT-1", \#(supplier), "effectiveDate": "2025-08-01", "correctsEventId": "\#(q1Return)", "reason": "One starter was on another contract", "lines": [{"measure": "NT1", "quantity": "5", "evidence": "HR-Q1-rev"}]}"#,
        ])
        guard twoCouncils else { return }
        try run([
            Self.lancashire,
            #"{"command": "policy.adopt", "builtin": "leicestershire-2022", \#(head)}"#,
            #"{"command": "council.describe", \#(head), "councilId": "leicestershire", "name": "Leicestershire County Council", "author": "Director of Corporate Resources", "contact": {"name": "M. Bains", "email": "procurement@leicestershire.example"}}"#,
            register("LEI-1", "Library kiosks", value: "£200,000", end: "2027-03-31", department: "Culture", area: "Melton", policy: "leicestershire-2022"),
            assess("LEI-1"),
            #"{"command": "weighting.decide", "contract": "LEI-1", \#(officer), "effectiveDate": "2025-02-10", "percent": "10", "basis": "policy-minimum"}"#,
            award("LEI-1", "Readwell Systems Ltd"),
            #"{"command": "pledge.record", "contract": "LEI-1", \#(officer), "effectiveDate": "2025-03-14", "catalog": "portal-003", "lines": [{"measure": "NT8", "quantity": "40"}, {"measure": "NT19", "quantity": "30000"}]}"#,
            #"{"command": "delivery.report", "contract": "LEI-1", \#(supplier), "quarter": "2025-26-Q1", "attributionConfirmed": true, "lines": [{"measure": "NT8", "quantity": "6", "evidence": "RW-Q1"}, {"measure": "NT19", "quantity": "2800", "evidence": "RW-Q1-INV"}]}"#,
            register("RT-7", "Depot grounds", value: "£300,000", end: "2027-03-31", department: "Property", area: "Chorley"),
            assess("RT-7"),
            #"{"command": "weighting.decide", "contract": "RT-7", \#(officer), "effectiveDate": "2025-02-10", "percent": "10", "basis": "policy-minimum"}"#,
            award("RT-7", "GreenEdge Services Ltd"),
            #"{"command": "pledge.record", "contract": "RT-7", \#(officer), "effectiveDate": "2025-03-14", "catalog": "portal-003", "lines": [{"measure": "NT1", "quantity": "2"}]}"#,
            #"{"command": "delivery.report", "contract": "RT-7", \#(supplier), "quarter": "2025-26-Q1", "attributionConfirmed": true, "lines": [{"measure": "NT1", "quantity": "1", "evidence": "GE-RT7-Q1"}]}"#,
        ])
    }

    /// Lancashire County Council described, with its own themes taking the Portal's.
    static let lancashire = #"{"command": "council.describe", "actor": {"id": "r.shah", "role": "Head of Procurement"}, "councilId": "lancashire", "name": "Lancashire County Council", "author": "Director of Finance", "contact": {"name": "R. Shah", "role": "Head of Procurement", "phone": "01632 960 100", "email": "social.value@lancashire.example"}, "directorates": ["Highways", "Property"], "themes": [{"name": "Employment and skills", "catalogThemes": ["Jobs: Promote Local Skills and Employment"]}, {"name": "Economic prosperity", "catalogThemes": ["Growth: Supporting Growth of Responsible Regional Business"]}, {"name": "Community building: health & wellbeing", "catalogThemes": ["Social: Healthier, Safer and more Resilient Communities"]}, {"name": "Environment sustainability", "catalogThemes": ["Environment: Decarbonising and Safeguarding our World"]}]}"#

    func run(_ commands: [String]) throws {
        let parsed = try commands.map { try AnyLedgerCommand.parse(try JSONValue(parsing: $0), today: Self.today, builtin: BuiltinReference.document) }
        _ = try ledger.execute(commands: parsed, today: Self.today)
    }

    /// The report model for a request on this ledger at `period`.
    func model(_ request: CabinetReportRequest, period: FinancialQuarter = Self.period) throws -> CabinetReportModel {
        let (snapshot, reconciliation) = try read(period: period)
        return try CabinetReportModel(snapshot: snapshot, reconciliation: reconciliation, request: request)
    }

    static func json(_ text: String) -> String { JSONValue.string(text).canonicalText }
    static func jsonList(_ texts: [String]) -> String { JSONValue.array(texts.map { .string($0) }).canonicalText }

    /// The snapshot at the head and its reconciliation for `period` at the period's last day.
    func read(period: FinancialQuarter = Self.period) throws -> (Snapshot, Reconciliation) {
        let snapshot = try ledger.snapshot()
        return (snapshot, Reconciliation.compute(snapshot, period: period, reportingDate: period.lastDay))
    }

    func report(_ format: CabinetReport.Format, period: FinancialQuarter = Self.period) throws -> String {
        let (snapshot, reconciliation) = try read(period: period)
        return CabinetReport.render(format, snapshot: snapshot, reconciliation: reconciliation, generatedAt: Self.generatedAt)
    }
}

/// The report's CSV read back: RFC 4180 fields, `section,key,metric,value` rows.
struct CabinetCSV {
    let rows: [[String]]

    init(_ text: String) {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" { field.append("\""); characters.removeFirst() } else { quoted = false }
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                row.append(field); field = ""
            } else if character == "\n" {
                row.append(field); rows.append(row); row = []; field = ""
            } else {
                field.append(character)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        self.rows = rows
    }

    /// The value of one figure, or `nil` when the report has no such row.
    func value(_ section: String, _ key: String, _ metric: String) -> String? {
        rows.first { $0.count == 4 && $0[0] == section && $0[1] == key && $0[2] == metric }?[3]
    }

    func keys(_ section: String) -> [String] {
        var seen: [String] = []
        for row in rows where row.count == 4 && row[0] == section && !seen.contains(row[1]) { seen.append(row[1]) }
        return seen
    }
}
