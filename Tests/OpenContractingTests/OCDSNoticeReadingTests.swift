import Foundation
import LedgerValues
import OpenContracting
import SocialValue
import Testing

/// How the import reads what real notices state in more than one way: the award criterion's
/// weight code, and the area served in the tender's or its items' delivery addresses and
/// locations (issue 23, points 3 and 4). Each case edits the Find a Tender fixture's tender.
@Suite("import ocds: weight codes and areas as real notices give them")
struct OCDSNoticeReadingTests {
    /// The fixture with its first release's tender changed by `edit`.
    /// - Parameter tenderIdOnly: the later releases' `contracts[].id` taken out, so that the
    ///   contract id comes from the tender's.
    static func plan(areas: [String] = [], tenderIdOnly: Bool = false, _ edit: (inout [String: Any]) -> Void) throws -> OCDSImportPlan {
        let data = try Data(contentsOf: URL(fileURLWithPath: OCDSImportFixtures.findATender))
        var package = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        var releases = package["releases"] as! [[String: Any]]
        var tender = releases[0]["tender"] as! [String: Any]
        edit(&tender)
        releases[0]["tender"] = tender
        if tenderIdOnly {
            for index in releases.indices {
                guard var contracts = releases[index]["contracts"] as? [[String: Any]] else { continue }
                for inner in contracts.indices { contracts[inner]["id"] = nil }
                releases[index]["contracts"] = contracts
            }
        }
        package["releases"] = releases
        let text = String(decoding: try JSONSerialization.data(withJSONObject: package), as: UTF8.self)
        return try OCDSImportFixtures.plan(text, areas: areas)
    }

    /// The lot's two criteria, price and social value, with these numbers.
    static func criteria(price: [String: Any], social: [String: Any]) -> (inout [String: Any]) -> Void {
        { tender in
            var lots = tender["lots"] as! [[String: Any]]
            lots[0]["awardCriteria"] = ["criteria": [
                ["type": "price", "name": "Price", "numbers": [price]],
                ["type": "quality", "name": "Social value", "numbers": [social]],
            ]]
            tender["lots"] = lots
        }
    }

    static func weighting(_ plan: OCDSImportPlan) -> ExactDecimal? {
        guard case .decideWeighting(let percent, _, _, _) = plan.steps.first(where: { $0.eventType == "WeightingDecided" })?.command.action else { return nil }
        return percent
    }

    @Test("pointsExact is a share of the lot's points; decimalExact a fraction; percentageExact the percent")
    func weightCodes() throws {
        let points = try Self.plan(Self.criteria(price: ["number": 80, "weight": "pointsExact"], social: ["number": 20, "weight": "pointsExact"]))
        #expect(Self.weighting(points) == ExactDecimal(20))
        let fewer = try Self.plan(Self.criteria(price: ["number": 30, "weight": "pointsExact"], social: ["number": 10, "weight": "pointsExact"]))
        #expect(Self.weighting(fewer) == ExactDecimal(25), "10 of 40 points is 25%, not 10%")
        let decimal = try Self.plan(Self.criteria(price: ["number": 0.9, "weight": "decimalExact"], social: ["number": 0.1, "weight": "decimalExact"]))
        #expect(Self.weighting(decimal) == ExactDecimal(10), "0.1 is 10%, not 0.1%")
        #expect(decimal.blocking.isEmpty, "\(decimal.blocking.map(\.message))")
        let percent = try Self.plan(Self.criteria(price: ["number": 85, "weight": "percentageExact"], social: ["number": 15, "weight": "percentageExact"]))
        #expect(Self.weighting(percent) == ExactDecimal(15))
    }

    @Test("points whose share does not end are taken to two decimals, with a finding saying so")
    func pointsThatDoNotDivide() throws {
        let plan = try Self.plan(Self.criteria(price: ["number": 40, "weight": "pointsExact"], social: ["number": 20, "weight": "pointsExact"]))
        #expect(Self.weighting(plan) == ExactDecimal(units: 3333, scale: 2))
        #expect(plan.findings.contains { $0.kind == .recomputed && $0.message.contains("20 of 60 points is 33.33%") })
    }

    @Test("a range, an order of importance, points beside a percentage and an unknown code are refused, not guessed")
    func notOnePercentage() throws {
        for (price, social, words) in [
            (["number": 90, "weight": "percentageExact"], ["number": 10, "weight": "percentageRangeMiddle"], "a range"),
            (["number": 1, "weight": "order"], ["number": 2, "weight": "order"], "an order of importance"),
            (["number": 90, "weight": "percentageExact"], ["number": 10, "weight": "pointsExact"], "not every criterion"),
            (["number": 90, "weight": "percentageExact"], ["number": 10, "weight": "percent"], "not a weight code"),
            (["number": 0, "weight": "decimalExact"], ["number": 10, "weight": "decimalExact"], "more than 1"),
        ] as [([String: Any], [String: Any], String)] {
            let plan = try Self.plan(Self.criteria(price: price, social: social))
            #expect(Self.weighting(plan) == nil, "\(words)")
            #expect(plan.blocking.contains { $0.path.hasSuffix("criteria[1].numbers[0].weight") || $0.path.hasSuffix("criteria[1].numbers[0].number") }, "\(words)")
            #expect(plan.blocking.contains { $0.message.contains(words) }, "\(words): \(plan.blocking.map(\.message))")
        }
    }

    static func registeredAreas(_ plan: OCDSImportPlan) -> [String]? {
        guard case .register(let registration) = plan.steps.first(where: { $0.eventType == "ContractRegistered" })?.command.action else { return nil }
        return registration.areasServed
    }

    @Test("the area is read from the items' delivery addresses (region, else locality, else postal code) and locations (description, else ITL codes)")
    func areasOfItems() throws {
        let items = try Self.plan { tender in
            tender["deliveryAddresses"] = nil
            tender["items"] = [
                ["id": "1", "deliveryAddresses": [["region": "UKD44", "postalCode": "PR1 8XJ"]]],
                ["id": "2", "deliveryAddresses": [["postalCode": "BB1 7DR"], ["region": "UKD44"]]],
                ["id": "3", "deliveryLocations": [["gazetteer": ["scheme": "ITL", "identifiers": ["UKD46"]]]]],
            ]
        }
        #expect(Self.registeredAreas(items) == ["UKD44", "BB1 7DR", "UKD46"])
        #expect(!items.findings.contains { $0.path.contains("deliveryAddresses") }, "\(items.findings.map(\.message))")
    }

    @Test("a notice that states no area anywhere is refused without --area, and the error says where it looked")
    func noArea() throws {
        let plan = try Self.plan { tender in tender["deliveryAddresses"] = nil }
        #expect(Self.registeredAreas(plan) == nil)
        let finding = plan.blocking.first { $0.kind == .missingField && $0.path.hasSuffix("tender.items[].deliveryAddresses") }
        #expect(finding?.message.contains("ITL code") == true)
        let given = try Self.plan(areas: ["Lancashire"]) { tender in tender["deliveryAddresses"] = nil }
        #expect(Self.registeredAreas(given) == ["Lancashire"])
    }

    static func reference(_ plan: OCDSImportPlan) -> String? { plan.notices.first?.reference }

    @Test("a tender id with spaces, odd characters or too long becomes a valid contract id, and the finding names both")
    func idsMadeValid() throws {
        for (given, made) in [
            ("LCC 2016 031", "LCC-2016-031"), ("DN123456 - Lot 2", "DN123456-Lot-2"), ("  (CF) 7a1c..9e0d ", "CF-7a1c.9e0d"),
            (String(repeating: "A1 ", count: 40), String(String(repeating: "A1-", count: 22).prefix(64)).trimmingCharacters(in: ["-"])),
        ] {
            let plan = try Self.plan(tenderIdOnly: true) { tender in tender["id"] = given }
            #expect(Self.reference(plan) == made, "\(given)")
            #expect(plan.steps.allSatisfy { $0.command.contract == made })
            let finding = plan.findings.first { $0.path == "releases[0].tender.id" }
            #expect(finding?.kind == .defaulted)
            #expect(finding?.message.contains("contract \(made) is used; give --contract-id") == true, "\(finding?.message ?? "none")")
            #expect(!plan.blocking.contains { $0.path.hasSuffix("tender.id") })
        }
        let fine = try Self.plan(tenderIdOnly: true) { _ in }
        #expect(Self.reference(fine) == "LCC-HWY-2025-014")
        #expect(!fine.findings.contains { $0.path == "releases[0].tender.id" })
    }

    @Test("an id with nothing a contract id can keep blocks, asking for --contract-id; --contract-id is taken as given")
    func idChosen() throws {
        let nothing = try Self.plan(tenderIdOnly: true) { tender in tender["id"] = "— —" }
        #expect(nothing.blocking.contains { $0.path == "releases[0].tender.id" && $0.message.contains("give --contract-id") })
        let options = OCDSImportOptions(actor: OCDSImportFixtures.officer, attributionConfirmed: true, today: CalendarDate(year: 2026, month: 11, day: 1)!, contractId: "HWY-14")
        let chosen = try OCDSImportPlan(
            package: OCDSImportFixtures.package(try OCDSImportFixtures.text(OCDSImportFixtures.findATender)), reference: OCDSImportFixtures.reference(), options: options
        ) { _ in OCDSRecordedContract() }
        #expect(chosen.notices.first?.reference == "HWY-14")
        #expect(chosen.steps.allSatisfy { $0.command.contract == "HWY-14" })
    }

    @Test("award data the import cannot record is said: a running contract's award value, and every supplier of a framework but the first")
    func awardDataSaid() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: OCDSImportFixtures.contractsFinder))
        var package = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        var releases = package["releases"] as! [[String: Any]]
        var awards = releases[1]["awards"] as! [[String: Any]]
        awards[0]["suppliers"] = (1...30).map { ["name": "Framework Supplier \($0) Ltd"] }
        releases[1]["awards"] = awards
        package["releases"] = releases
        let plan = try OCDSImportFixtures.plan(String(decoding: try JSONSerialization.data(withJSONObject: package), as: UTF8.self))
        let value = plan.findings.first { $0.path == "releases[0].awards[0].value" }
        #expect(value?.kind == .notMapped)
        #expect(value?.message.contains("£1,185,000.00, is not recorded") == true, "\(value?.message ?? "none")")
        let framework = plan.findings.first { $0.path == "releases[1].awards[0].suppliers[1...]" }
        #expect(framework?.kind == .notMapped)
        #expect(framework?.message.contains("names 30 suppliers") == true)
        #expect(framework?.message.contains("Framework Supplier 2 Ltd") == true)
        #expect(framework?.message.contains("and 24 more") == true, "\(framework?.message ?? "none")")
        guard case .award(let supplier, _, _, _) = plan.steps.first(where: { $0.reference == "LCC-PRO-2025-007" && $0.eventType == "ContractAwarded" })?.command.action else {
            Issue.record("not awarded"); return
        }
        #expect(supplier == "Framework Supplier 1 Ltd")
    }

    /// The Find a Tender fixture with an awardUpdate release after its award, correcting the
    /// value from £4,180,000 to £41,800 (as a real notice corrected £10,932,000 to £109,320).
    static func withAwardUpdate(only: Bool = false) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: OCDSImportFixtures.findATender))
        var package = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        var releases = package["releases"] as! [[String: Any]]
        let update: [String: Any] = [
            "ocid": "ocds-h6vhtk-04f2c3", "id": "ocds-h6vhtk-04f2c3-award-update-2025-04-02", "date": "2025-04-02T10:00:00Z", "tag": ["awardUpdate"],
            "initiationType": "tender",
            "awards": [[
                "id": "LCC-HWY-2025-014-award", "date": "2025-03-14T00:00:00Z", "status": "active", "value": ["amount": 41800, "currency": "GBP"],
                "suppliers": [["id": "GB-COH-01234567", "name": "North Roads Ltd"]],
            ]],
        ]
        releases = only ? [update] : Array(releases[0...1]) + [update] + Array(releases[2...])
        package["releases"] = releases
        return String(decoding: try JSONSerialization.data(withJSONObject: package), as: UTF8.self)
    }

    @Test("an awardUpdate release correcting the award's value: the later value is recorded, and the finding names both")
    func awardCorrectedInThePackage() throws {
        let plan = try OCDSImportFixtures.plan(try Self.withAwardUpdate())
        #expect(plan.blocking.isEmpty, "\(plan.blocking.map(\.message))")
        guard case .award(_, let date, let value, _) = plan.steps.first(where: { $0.eventType == "ContractAwarded" })?.command.action else {
            Issue.record("not awarded"); return
        }
        #expect(value == Money(pence: 4_180_000), "the later release's £41,800 wins over £4,180,000")
        #expect(date == CalendarDate("2025-03-14"))
        #expect(plan.steps.filter { $0.eventType == "ContractAwarded" }.count == 1)
        let superseded = plan.findings.first { $0.kind == .superseded }
        #expect(superseded?.path == "releases[1].awards[0]")
        #expect(superseded?.message.contains("£4,180,000.00 on 2025-03-14 to North Roads Ltd, to £41,800.00") == true, "\(superseded?.message ?? "none")")
    }
}
