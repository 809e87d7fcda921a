import Foundation
import LedgerValues
import Testing
import TestSupport

/// The built `svledger import ocds` on a ledger of its own, as a user runs it.
struct OCDSImportLedger {
    let directory = TemporaryDirectory("svledger-ocds-import")
    var ledger: String { directory.child("ledger") }
    static let head = ["--actor", "r.shah", "--role", "Head of Procurement"]
    static let officer = ["--actor", "a.patel", "--role", "Procurement Officer"]

    @discardableResult
    func svledger(_ arguments: [String], expectSuccess: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) throws -> CommandResult {
        let result = try CommandRunner.svledger(arguments + ["--ledger", ledger])
        if expectSuccess { #expect(result.status == 0, "\(arguments.prefix(3)): \(result.stderr)", sourceLocation: sourceLocation) }
        return result
    }

    /// A fresh ledger with the demo council's policy and the portal catalog, and nothing else.
    func prepared() throws -> OCDSImportLedger {
        try svledger(["init"])
        try svledger(["policy", "adopt", "--builtin", "lancashire-2024-28"] + Self.head)
        try svledger(["catalog", "publish", "--builtin", "portal-003"] + Self.head)
        return self
    }

    func dataFile() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: ledger + "/data.mdb")) }

    func write(_ text: String, _ name: String) throws -> String {
        let path = directory.child(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func importing(_ path: String, _ extra: [String] = [], expectSuccess: Bool = true) throws -> CommandResult {
        try svledger(["import", "ocds", path, "--confirm-attribution"] + extra + Self.officer, expectSuccess: expectSuccess)
    }
}

@Suite("import ocds through the CLI: dry run, all or nothing, idempotent")
struct OCDSImportCLITests {
    @Test("the dry run lists the commands and writes nothing")
    func dryRun() throws {
        let ledger = try OCDSImportLedger().prepared()
        let before = try ledger.dataFile()
        let dry = try ledger.svledger(["import", "ocds", OCDSImportFixtures.findATender, "--dry-run"], expectSuccess: false)
        #expect(dry.status == 1, "a dry run of an import that would be refused fails as the import would")
        #expect(dry.stdout.contains("ocds-h6vhtk-04f2c3 → contract LCC-HWY-2025-014: 4 release(s), blocked"))
        #expect(dry.stdout.contains("2025-03-14 ContractAwarded (release ocds-h6vhtk-04f2c3-uk7-contract-2025-03-14): awarded to North Roads Ltd"))
        #expect(dry.stdout.contains("releases[0].tender.lots[1]: not-mapped"))
        #expect(dry.stdout.contains("attribution-not-confirmed (blocks)"))
        #expect(dry.stderr.contains("dry run: nothing written; the import would be refused for 1 finding(s): attribution-not-confirmed"))
        #expect(try ledger.dataFile() == before)
        let json = try ledger.svledger(["import", "ocds", OCDSImportFixtures.findATender, "--dry-run", "--format", "json", "--confirm-attribution"])
        #expect(json.status == 0, "nothing blocks it once attribution is confirmed")
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let notices = document?["notices"] as? [[String: Any]]
        #expect((notices?.first?["commands"] as? [Any])?.count == 7)
        #expect((document?["head"] as? [String: Any])?["position"] as? Int == 2)
        #expect(try ledger.dataFile() == before)
    }

    @Test("a notice from before the policy took effect: the dry run fails, naming the policy tried and when it took effect")
    func beforeThePolicy() throws {
        let ledger = try OCDSImportLedger().prepared()
        let text = try OCDSImportFixtures.text(OCDSImportFixtures.contractsFinder)
            .replacingOccurrences(of: "2025-", with: "2016-").replacingOccurrences(of: "2026-", with: "2017-").replacingOccurrences(of: "2027-", with: "2018-")
        let before = try ledger.dataFile()
        let dry = try ledger.svledger(["import", "ocds", try ledger.write(text, "cf-2016.json"), "--dry-run"], expectSuccess: false)
        #expect(dry.status == 1)
        #expect(dry.stderr.contains("dry run: nothing written; the import would be refused"))
        #expect(dry.stdout.contains(#"unknown-policy: no version of policy "lancashire-2024-28" was in force on 2016-05-19: its first version, 1, took effect on"#), "\(dry.stdout)")
        #expect(try ledger.dataFile() == before)
    }

    @Test("--contract-id names the contract of a one-notice package, and is refused for a package of several")
    func contractIdFlag() throws {
        let ledger = try OCDSImportLedger().prepared()
        let one = try ledger.svledger(["import", "ocds", OCDSImportFixtures.findATender, "--dry-run", "--confirm-attribution", "--contract-id", "HWY-14"])
        #expect(one.stdout.contains("ocds-h6vhtk-04f2c3 → contract HWY-14: 4 release(s)"), "\(one.stdout)")
        let several = try ledger.svledger(["import", "ocds", OCDSImportFixtures.contractsFinder, "--dry-run", "--contract-id", "X-1"], expectSuccess: false)
        #expect(several.status == 64)
        #expect(several.stderr.contains("holds 2 notices"))
    }

    @Test("the notice's ocid and id are kept on the contract: show finds it by either, and the export continues the publisher's process")
    func identifiersKept() throws {
        let ledger = try OCDSImportLedger().prepared()
        try ledger.importing(OCDSImportFixtures.findATender)
        let show = try ledger.svledger(["show", "ocds-h6vhtk-04f2c3", "--format", "json"])
        #expect(show.stderr.contains("ocds-h6vhtk-04f2c3 is the ocid of contract LCC-HWY-2025-014"))
        let document = try JSONValue(parsing: show.stdout)
        #expect(document["contract"]?["reference"] == "LCC-HWY-2025-014")
        #expect(document["contract"]?["identifiers"] == [["scheme": "ocid", "id": "ocds-h6vhtk-04f2c3"], ["scheme": "notice", "id": "LCC-HWY-2025-014"]])
        let export = try ledger.svledger(["export", "ocds", "--format", "ndjson"]).stdout.split(separator: "\n")
        #expect(!export.isEmpty)
        for line in export {
            let release = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(release?["ocid"] as? String == "ocds-h6vhtk-04f2c3", "a re-export mints no new ocid")
        }
        // The buyer's and the supplier's registered identifiers and address come back out.
        let parties = export.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .flatMap { $0["parties"] as? [[String: Any]] ?? [] }
        let buyer = parties.first { ($0["roles"] as? [String]) == ["buyer"] }
        #expect((buyer?["identifier"] as? [String: String]) == ["scheme": "GB-PPON", "id": "PDQR-1234-ABCD"])
        #expect((buyer?["address"] as? [String: String])?["postalCode"] == "LS1 1UR")
        let supplier = parties.first { ($0["roles"] as? [String])?.contains("supplier") == true }
        #expect((supplier?["identifier"] as? [String: String]) == ["scheme": "GB-COH", "id": "01234567"])
        // A contract registered by hand has no identifiers, and its event has no such key: the
        // bytes of every event recorded before svledger kept them are what they were.
        try ledger.svledger([
            "contract", "register", "--contract", "HAND-1", "--title", "Grounds", "--department", "Parks", "--category", "services",
            "--value", "£200,000", "--start", "2025-04-01", "--end", "2026-03-31", "--area", "Preston", "--policy", "lancashire-2024-28",
        ] + OCDSImportLedger.head)
        let registered = try ledger.svledger(["log", "--stream", "contract/HAND-1", "--format", "json"]).stdout
        #expect(!registered.contains("identifiers"))
        #expect(try JSONValue(parsing: try ledger.svledger(["show", "HAND-1", "--format", "json"]).stdout)["contract"]?["identifiers"] == [])
    }

    @Test("a correcting awardUpdate imported after the award it corrects is recorded as an award correction, with both values, and importing it again records nothing")
    func awardCorrectedLater() throws {
        let ledger = try OCDSImportLedger().prepared()
        try ledger.importing(OCDSImportFixtures.findATender)
        let update = try ledger.write(try OCDSNoticeReadingTests.withAwardUpdate(only: true), "award-update.json")
        let imported = try ledger.importing(update)
        #expect(imported.stdout.contains("AwardCorrected"), "\(imported.stdout)")
        #expect(!imported.stdout.contains("conflicts-with-ledger"))
        let shown = try JSONValue(parsing: try ledger.svledger(["show", "LCC-HWY-2025-014", "--format", "json"]).stdout)
        #expect(shown["contract"]?["award"]?["value"] == .string("41800.00"), "\(String(describing: shown["contract"]?["award"]))")
        let log = try ledger.svledger(["log", "--stream", "contract/LCC-HWY-2025-014", "--format", "json"]).stdout
        let correction = try JSONValue(parsing: try #require(log.split(separator: "\n").last.map(String.init)))
        #expect(correction["eventType"] == .string("AwardCorrected"))
        #expect(correction["payload"]?["previousValueGBP"] == .string("4180000.00"))
        #expect(correction["payload"]?["valueGBP"] == .string("41800.00"))
        #expect(correction["effectiveDate"] == .string("2025-04-02"), "the correcting release's day")
        // The same package again: the correction is already there; and the first package
        // again, older than the correction, does not undo it.
        let data = try ledger.dataFile()
        #expect(try ledger.importing(update).stdout.contains("already recorded"))
        #expect(try ledger.importing(OCDSImportFixtures.findATender).stdout.contains("already recorded"))
        #expect(try ledger.dataFile() == data)
    }

    @Test("another publisher's award that disagrees with the recorded one without being an awardUpdate is a conflict, not a correction")
    func disagreeingAwardNotAnUpdate() throws {
        let ledger = try OCDSImportLedger().prepared()
        try ledger.importing(OCDSImportFixtures.findATender)
        let after = try ledger.dataFile()
        let plain = try OCDSNoticeReadingTests.withAwardUpdate(only: true).replacingOccurrences(of: #""awardUpdate""#, with: #""award""#)
        let refused = try ledger.importing(try ledger.write(plain, "award.json"), expectSuccess: false)
        #expect(refused.status == 1 && refused.stdout.contains("conflicts-with-ledger") && refused.stdout.contains("not an awardUpdate"), "\(refused.stdout)")
        #expect(try ledger.dataFile() == after)
    }

    @Test("an awardUpdate naming another supplier than the recorded award is refused as a conflict, and nothing is written")
    func awardToAnotherSupplierLater() throws {
        let ledger = try OCDSImportLedger().prepared()
        try ledger.importing(OCDSImportFixtures.findATender)
        let after = try ledger.dataFile()
        let other = try OCDSNoticeReadingTests.withAwardUpdate(only: true).replacingOccurrences(of: "North Roads Ltd", with: "South Roads Ltd")
        let refused = try ledger.importing(try ledger.write(other, "other-supplier.json"), expectSuccess: false)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("conflicts-with-ledger"))
        #expect(refused.stdout.contains("awards contract LCC-HWY-2025-014 to South Roads Ltd, but the ledger records its award to North Roads Ltd"), "\(refused.stdout)")
        #expect(try ledger.dataFile() == after)
    }

    @Test("an exempted contract's notice is not imported as a running contract: it blocks, and once the exemption is recorded by hand the rest comes in")
    func exemptedContract() throws {
        let source = try OCDSImportLedger().prepared()
        let c = ["--contract", "EX-1"]
        let hand: [[String]] = [
            ["contract", "register"] + c + [
                "--title", "Flood-modelling licence", "--department", "Environment", "--category", "services", "--value", "£450,000",
                "--start", "2025-04-01", "--end", "2028-03-31", "--area", "County-wide", "--policy", "lancashire-2024-28",
                "--effective-date", "2025-01-27"] + OCDSImportLedger.officer,
            ["threshold", "assess"] + c + ["--effective-date", "2025-01-27"] + OCDSImportLedger.officer,
            ["exemption", "request"] + c + ["--business-case", "BC-7", "--effective-date", "2025-01-28", "--reason", "One proprietary supplier"] + OCDSImportLedger.officer,
            ["exemption", "decide"] + c + ["--business-case", "BC-7", "--granted", "--effective-date", "2025-02-04", "--reason", "No social value market"] + OCDSImportLedger.head,
        ]
        for command in hand { try source.svledger(command) }
        try source.svledger(["contract", "award"] + c + ["--supplier", "HydroSim GmbH", "--value", "£447,000", "--award-date", "2025-03-10"] + OCDSImportLedger.head)
        let exported = source.directory.child("ex-1.json")
        try source.svledger(["export", "ocds", "--contract", "EX-1", "--out", exported])

        let target = try OCDSImportLedger().prepared()
        let before = try target.dataFile()
        let refused = try target.importing(exported, expectSuccess: false)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("not-imported (blocks): the notice records an exemption"), "\(refused.stdout)")
        #expect(!refused.stdout.contains("registered-as-running"))
        #expect(try target.dataFile() == before)

        for command in hand { try target.svledger(command) }
        let rest = try target.importing(exported)
        #expect(rest.stdout.contains("recorded 1 event(s) for 1 contract(s)"), "\(rest.stdout)")
        let show = try JSONValue(parsing: try target.svledger(["show", "EX-1", "--format", "json"]).stdout)
        #expect(show["contract"]?["award"]?["value"] == "447000.00", "the award's value comes in with its award event")
        #expect(show["contract"]?["exemption"]?["status"] == "granted")
    }

    @Test("an import records every command once; the same file again records nothing, byte for byte")
    func idempotent() throws {
        let ledger = try OCDSImportLedger().prepared()
        let first = try ledger.importing(OCDSImportFixtures.findATender)
        #expect(first.stdout.contains("recorded 7 event(s) for 1 contract(s)"))
        let show = try ledger.svledger(["show", "LCC-HWY-2025-014"])
        #expect(show.stdout.contains("North Roads Ltd"))
        let after = try ledger.dataFile()
        let again = try ledger.importing(OCDSImportFixtures.findATender)
        #expect(again.stdout.contains("already recorded: nothing new to write"))
        #expect(again.stdout.contains("already-recorded"))
        #expect(try ledger.dataFile() == after)
        let dry = try ledger.svledger(["import", "ocds", OCDSImportFixtures.findATender, "--dry-run"])
        #expect(dry.stdout.contains("LCC-HWY-2025-014: 4 release(s), already recorded"))
    }

    @Test("a later package of the same notice records only what is new")
    func onlyWhatIsNew() throws {
        let ledger = try OCDSImportLedger().prepared()
        let full = try OCDSImportFixtures.text(OCDSImportFixtures.findATender)
        // The notice as first published: everything up to the first KPI release.
        let early = try ledger.write(full.replacingOccurrences(of: "-uk9-kpi-2025-08-01\"", with: "-uk9-kpi-2025-08-01\", \"x-ignored\": 1")
            .components(separatedBy: "    {\n      \"ocid\": \"ocds-h6vhtk-04f2c3\",\n      \"id\": \"ocds-h6vhtk-04f2c3-uk9-kpi-2025-08-01\"")[0]
            .trimmingCharacters(in: .whitespacesAndNewlines).dropLast() + "\n  ]\n}\n", "early.json")
        let firstImport = try ledger.importing(early)
        #expect(firstImport.stdout.contains("recorded 6 event(s)"))
        let later = try ledger.importing(OCDSImportFixtures.findATender)
        #expect(later.stdout.contains("1 event(s) to record"))
        #expect(later.stdout.contains("DeliveryCorrected"))
        #expect(later.stdout.contains("recorded 1 event(s)"))
    }

    @Test("a rule that refuses an imported command fails the whole import, nothing written")
    func ruleRefuses() throws {
        let ledger = try OCDSImportLedger().prepared()
        let before = try ledger.dataFile()
        // 5% is under the policy's 10% minimum: weighting-below-minimum.
        let low = try ledger.write(
            try OCDSImportFixtures.text(OCDSImportFixtures.findATender)
                .replacingOccurrences(of: "\"description\": \"Social value (TOMs)\", \"numbers\": [{\"number\": 10,", with: "\"description\": \"Social value (TOMs)\", \"numbers\": [{\"number\": 5,"),
            "low-weighting.json")
        let refused = try ledger.importing(low, expectSuccess: false)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("import-refused"))
        #expect(refused.stdout.contains("refused-by-rule (blocks): weighting-below-minimum"))
        #expect(try ledger.dataFile() == before)
    }

    @Test("Contracts Finder awards: one registered as running, one awarded, in one import")
    func contractsFinder() throws {
        let ledger = try OCDSImportLedger().prepared()
        let result = try ledger.importing(OCDSImportFixtures.contractsFinder)
        #expect(result.stdout.contains("recorded 4 event(s) for 2 contract(s)"))
        let contracts = try ledger.svledger(["contracts"])
        #expect(contracts.stdout.contains("LCC-ADS-2025-031"))
        #expect(contracts.stdout.contains("LCC-PRO-2025-007"))
    }
}

/// A framework award names several suppliers; svledger records one contract per supplier, and
/// the import records the one asked for (the first otherwise), saying which others it did not.
@Suite("import ocds: a framework, one contract per supplier")
struct OCDSFrameworkImportTests {
    static func framework(_ ledger: OCDSImportLedger) throws -> String {
        let text = try OCDSImportFixtures.text(OCDSImportFixtures.findATender).replacingOccurrences(
            of: #""suppliers": [{"id": "GB-COH-01234567", "name": "North Roads Ltd"}]"#,
            with: #""suppliers": [{"id": "GB-COH-01234567", "name": "North Roads Ltd"}, {"name": "Acme Surfacing Ltd"}, {"name": "Brick & Co"}]"#)
        #expect(text.contains("Acme Surfacing Ltd"), "the fixture's award is where the test expects it")
        return try ledger.write(text, "framework.json")
    }

    @Test("each supplier's contract is imported on its own, and the shared ocid asks which one is meant")
    func oneContractPerSupplier() throws {
        let ledger = try OCDSImportLedger().prepared()
        let file = try Self.framework(ledger)
        let acme = try ledger.importing(file, ["--supplier", "acme surfacing ltd", "--contract-id", "HWY-ACME"])
        #expect(acme.stdout.contains("records Acme Surfacing Ltd's; not recorded here: North Roads Ltd, Brick & Co"), "\(acme.stdout)")
        try ledger.importing(file, ["--contract-id", "HWY-NORTH"])
        for (contract, supplier) in [("HWY-ACME", "Acme Surfacing Ltd"), ("HWY-NORTH", "North Roads Ltd")] {
            let show = try JSONValue(parsing: try ledger.svledger(["show", contract, "--format", "json"]).stdout)
            #expect(show["contract"]?["supplier"] == .string(supplier), "\(contract)")
        }
        let ambiguous = try ledger.svledger(["show", "ocds-h6vhtk-04f2c3"], expectSuccess: false)
        #expect(ambiguous.status == 64 && ambiguous.stderr.contains("is the framework of 2 contracts: HWY-ACME, HWY-NORTH"), "\(ambiguous.stderr)")
        // Each call-off is a process of its own, under the framework's ocid and its reference,
        // related to the framework's process: a record package holds one record per process.
        let records = try JSONSerialization.jsonObject(with: Data(try ledger.svledger(["export", "ocds", "--format", "records"]).stdout.utf8)) as? [String: Any]
        let ocids = (records?["records"] as? [[String: Any]] ?? []).compactMap { $0["ocid"] as? String }
        #expect(ocids.sorted() == ["ocds-h6vhtk-04f2c3-HWY-ACME", "ocds-h6vhtk-04f2c3-HWY-NORTH"])
        let first = (records?["records"] as? [[String: Any]])?.first?["compiledRelease"] as? [String: Any]
        let related = (first?["relatedProcesses"] as? [[String: Any]])?.first
        #expect(related?["identifier"] as? String == "ocds-h6vhtk-04f2c3" && related?["relationship"] as? [String] == ["framework"])
        // A later package of the framework must say which call-off it continues.
        let unsaid = try ledger.importing(file, expectSuccess: false)
        #expect(unsaid.status == 64 && unsaid.stderr.contains("give --supplier and --contract-id"), "\(unsaid.stderr)")
        #expect(try ledger.importing(file, ["--supplier", "Acme Surfacing Ltd", "--contract-id", "HWY-ACME"]).stdout.contains("nothing new"))
    }

    @Test("a supplier the award does not name is refused, naming those it does, and nothing is written")
    func unknownSupplier() throws {
        let ledger = try OCDSImportLedger().prepared()
        let file = try Self.framework(ledger)
        let before = try ledger.dataFile()
        let refused = try ledger.importing(file, ["--supplier", "Nobody Ltd", "--contract-id", "HWY-X"], expectSuccess: false)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("--supplier \"Nobody Ltd\" is not a supplier of this award; it names North Roads Ltd, Acme Surfacing Ltd, Brick & Co"), "\(refused.stdout)")
        #expect(try ledger.dataFile() == before)
    }
}

@Suite("contract award --supplier-id")
struct SupplierIdentifierCLITests {
    @Test("SCHEME:ID is the form, and a scheme that is not an org-id.guide code is refused with its path; nothing is written")
    func form() throws {
        let ledger = try OCDSImportLedger().prepared()
        let before = try ledger.dataFile()
        let award = ["contract", "award", "--contract", "NONE", "--supplier", "S Ltd", "--value", "100"] + OCDSImportLedger.head
        let noColon = try ledger.svledger(award + ["--supplier-id", "GB-COH"], expectSuccess: false)
        #expect(noColon.status == 64 && noColon.stderr.contains("must be SCHEME:ID, e.g. GB-COH:01234567"), "\(noColon.stderr)")
        let lower = try ledger.svledger(award + ["--supplier-id", "gb-coh:123"], expectSuccess: false)
        #expect(lower.status == 65 && lower.stderr.contains("is not an org-id.guide list code"), "\(lower.stderr)")
        #expect(try ledger.dataFile() == before)
    }
}
