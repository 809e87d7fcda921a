import Foundation
import LedgerValues
import SocialValue

/// What one release says that svledger records, read with its findings. Each field is nil
/// when the release does not say it (a release carries only what changed).
struct OCDSReleaseFacts {
    var contractId: String?
    var tenderId: String?
    var title: String?
    var buyer: String?
    var category: ContractCategory?
    var estimatedValue: Money?
    var start: CalendarDate?
    var end: CalendarDate?
    var areas: [String]?
    var weighting: ExactDecimal?
    /// The svledger policy a threshold assessment names (`… under policy lancashire-2024-28@1: …`),
    /// as `svledger export ocds` writes it in `planning.rationale`.
    var policyId: String?
    var award: (supplier: String, date: CalendarDate, value: Money)?
    /// The award names several suppliers (a framework): svledger records one contract per supplier.
    var awardsSeveral = false
    /// The framework this process is a call-off of (`relatedProcesses`, relationship framework).
    var framework: String?
    /// The awarded (or existing) supplier's identifiers and address, from its party.
    var supplierDetails: OrganisationDetails?
    /// The buyer's identifiers and address, from its party.
    var buyerDetails: OrganisationDetails?
    /// A supplier named with no award date or value beside the tender: a contract already
    /// running when registered (`svledger export ocds` writes an existing supplier so).
    var existingSupplier: String?
    /// What the release's `planning.rationale` says of an exemption from the social value
    /// requirements (requested, granted or refused), as `svledger export ocds` writes it.
    var exemption: String?
    /// The release records a threshold assessment (its `planning.rationale` says so).
    var assessesThreshold = false
    /// The weighting's board override reason, when the weighting description gives one.
    var overrideReason: String?
    /// The targets, when the release has any (in its implementation metrics, or its agreed
    /// metrics): each measure's target, or nil when withdrawn.
    var targets: [(measure: String, quantity: ExactDecimal?)]?
    var observations: [Observation] = []
    /// The day the contract was closed, when the release marks it terminated.
    var closedOn: CalendarDate?
    /// Whether the release says anything about the tender (title, value, term).
    var hasTender: Bool { title != nil || estimatedValue != nil || start != nil || category != nil }

    struct Observation {
        let measure: String
        let quarter: FinancialQuarter
        let quantity: ExactDecimal
        /// The event a correction cites (`notes`: "corrects event <id>; …"), as
        /// `svledger export ocds` writes it: such an observation is a correction even when it
        /// restates the same figure (a correction of the evidence alone).
        let corrects: String?
    }

    /// - Parameter supplier: which of an award's suppliers to record (``OCDSImportOptions/supplier``).
    /// - Parameter ownExport: the release is svledger's own export, whose procuring entity is the
    ///   buying department; another publisher's procuring entity may be a purchasing body
    ///   acting for the buyer, so its buyer names the department.
    init(_ release: OCDSRelease, supplier: String? = nil, ownExport: Bool = false, reader: inout OCDSValueReader) {
        let json = release.json, path = release.path
        let tender = json["tender"]
        tenderId = tender?["id"]?.stringValue
        // Publishers' text often carries stray spaces and line ends around it (" Wellbeing
        // College "): they are not part of a title or a name.
        title = Self.trimmed(tender?["title"]?.stringValue)
        // The department that runs the procurement: the procuring entity, as svledger exports it
        // beside the council that buys; a notice that names only a buyer names it.
        let department = ownExport
            ? tender?["procuringEntity"]?["name"]?.stringValue ?? Self.party(json, role: "procuringEntity")?["name"]?.stringValue : nil
        buyer = Self.trimmed(department ?? json["buyer"]?["name"]?.stringValue ?? Self.party(json, role: "buyer")?["name"]?.stringValue)
        framework = json["relatedProcesses"]?.arrayValue?.first {
            ($0["relationship"]?.arrayValue?.contains(.string("framework")) ?? false) && $0["scheme"]?.stringValue == "ocid"
        }?["identifier"]?.stringValue
        let parties = Self.parties(json)
        if let index = parties.firstIndex(where: { $0["roles"]?.arrayValue?.contains(.string("buyer")) ?? false }) {
            buyerDetails = Self.details(ofParty: parties[index], "\(path).parties[\(index)]", &reader)
        }
        if let text = tender?["mainProcurementCategory"]?.stringValue {
            category = ContractCategory(rawValue: text)
            if category == nil {
                reader.note(.invalidValue, "\(path).tender.mainProcurementCategory", "\(DisplayText.quoted(text)) is not goods, services or works")
            }
        }
        if let value = tender?["value"] { estimatedValue = reader.money(value, "\(path).tender.value") }
        if let period = tender?["contractPeriod"] {
            start = reader.day(period["startDate"], "\(path).tender.contractPeriod.startDate")
            end = reader.day(period["endDate"], "\(path).tender.contractPeriod.endDate")
        }
        areas = Self.areas(tender)
        let rationale = json["planning"]?["rationale"]?.stringValue
        policyId = Self.policy(rationale)
        assessesThreshold = rationale?.lowercased().contains("threshold assessment") ?? false
        if let rationale, rationale.lowercased().contains("exemption") { exemption = rationale }
        overrideReason = Self.overrideReason(tender?["lots"]?.arrayValue?.first?["awardCriteria"]?["weightingDescription"]?.stringValue)
        if let (criterion, criterionPath) = OCDSWeighting.criterion(in: json, path: path) {
            weighting = OCDSWeighting.percent(criterion, path: criterionPath, criteria: OCDSWeighting.criteria(in: json) ?? [], reader: &reader)
        }
        if let award = json["awards"]?.arrayValue?.first { readAward(award, json, "\(path).awards[0]", chosen: supplier, &reader) }
        if let contract = json["contracts"]?.arrayValue?.first { readContract(contract, "\(path).contracts[0]", release, &reader) }
    }

    mutating func readAward(_ award: OCDSValue, _ release: OCDSValue, _ path: String, chosen: String?, _ reader: inout OCDSValueReader) {
        let suppliers = award["suppliers"]?.arrayValue ?? []
        guard !suppliers.isEmpty else { return }
        let names = suppliers.map { Self.supplierName($0, in: release) ?? "(unnamed)" }
        var index = 0
        if let chosen {
            guard let found = names.firstIndex(where: { $0.lowercased() == chosen.trimmingCharacters(in: .whitespaces).lowercased() }) else {
                reader.note(
                    .invalidValue, "\(path).suppliers",
                    "--supplier \(DisplayText.quoted(chosen)) is not a supplier of this award; it names \(names.prefix(10).joined(separator: ", "))\(names.count > 10 ? " and \(names.count - 10) more" : "")")
                return
            }
            index = found
        }
        awardsSeveral = suppliers.count > 1
        if suppliers.count > 1 {
            // A framework or a multi-supplier award: a svledger contract has one supplier, whose
            // pledge and returns it holds, so svledger records one contract per supplier. The
            // others are said, never silently dropped, with the way to record each.
            let others = names.enumerated().filter { $0.offset != index }.map(\.element)
            reader.note(
                .notMapped, "\(path).suppliers\(index == 0 ? "[1...]" : "")",
                "the award names \(suppliers.count) suppliers (a framework?); svledger records one contract per supplier, and this import records \(names[index])'s; not recorded here: \(others.prefix(5).joined(separator: ", "))\(others.count > 5 ? " and \(others.count - 5) more" : ""). Import the notice again for each of them: --supplier NAME --contract-id ID")
        }
        let supplier = suppliers[index]
        supplierDetails = Self.party(release, id: supplier["id"]?.stringValue, name: names[index])
            .flatMap { Self.details(ofParty: $0.party, "\(Self.releasePath(path)).parties[\($0.index)]", &reader) }
        let name = Self.supplierName(supplier, in: release)
        guard let name else {
            reader.note(.missingField, "\(path).suppliers[\(index)].name", "the awarded supplier has no name")
            return
        }
        if award["date"] == nil, award["value"] == nil, release["tender"]?["title"] != nil {
            existingSupplier = name
            return
        }
        guard let date = reader.day(award["date"], "\(path).date") else { return }
        guard let valueJSON = award["value"] else {
            reader.note(.missingField, "\(path).value", "the award gives no value")
            return
        }
        guard let value = reader.money(valueJSON, "\(path).value") else { return }
        self.award = (name, date, value)
    }

    /// `metrics` without the Procurement Act KPIs (ids `kpi-…`), each said to be left aside:
    /// they are not TOMs measures, and the import does not take KPIs; `nil` when none is left.
    static func withoutKPIs(_ metrics: [OCDSValue]?, _ path: String, _ reader: inout OCDSValueReader) -> [OCDSValue]? {
        guard let metrics else { return nil }
        var kept: [OCDSValue] = []
        for (index, metric) in metrics.enumerated() {
            if metric["id"]?.stringValue?.hasPrefix(OCDSReleaseMaker.kpiPrefix) == true {
                reader.note(.notMapped, "\(path)[\(index)]", "a Procurement Act KPI: the import does not take KPIs; record them with kpi.agree and kpi.assess")
            } else {
                kept.append(metric)
            }
        }
        return kept.isEmpty ? nil : kept
    }

    mutating func readContract(_ contract: OCDSValue, _ path: String, _ release: OCDSRelease, _ reader: inout OCDSValueReader) {
        contractId = contract["id"]?.stringValue
        // Targets: svledger's own exports put them in the implementation metrics, as `target`
        // observations; other publishers (and svledger before) in the agreed metrics.
        var targets: [(String, ExactDecimal?)]?
        if let metrics = Self.withoutKPIs(contract["agreedMetrics"]?.arrayValue, "\(path).agreedMetrics", &reader) {
            targets = []
            for (index, metric) in metrics.enumerated() {
                let metricPath = "\(path).agreedMetrics[\(index)]"
                guard let measure = metric["id"]?.stringValue else {
                    reader.note(.missingField, "\(metricPath).id", "an agreed metric needs its id, the TOMs measure code")
                    continue
                }
                if Self.socialValueRecomputed(measure, metricPath, &reader) { continue }
                let observations = metric["observations"]?.arrayValue ?? []
                let target = observations.firstIndex { $0["id"]?.stringValue == "target" } ?? (observations.isEmpty ? nil : 0)
                guard let target else {
                    reader.note(.missingField, "\(metricPath).observations", "metric \(measure) gives no target")
                    continue
                }
                if let read = Self.target(observations[target], "\(metricPath).observations[\(target)]", &reader) { targets?.append((measure, read)) }
            }
        }
        if let metrics = Self.withoutKPIs(contract["implementation"]?["metrics"]?.arrayValue, "\(path).implementation.metrics", &reader) {
            for (index, metric) in metrics.enumerated() {
                let metricPath = "\(path).implementation.metrics[\(index)]"
                guard let measure = metric["id"]?.stringValue else {
                    reader.note(.missingField, "\(metricPath).id", "a metric needs its id, the TOMs measure code")
                    continue
                }
                if Self.socialValueRecomputed(measure, metricPath, &reader) { continue }
                for (number, observation) in (metric["observations"]?.arrayValue ?? []).enumerated() {
                    let observationPath = "\(metricPath).observations[\(number)]"
                    if observation["id"]?.stringValue == "target" {
                        if let read = Self.target(observation, observationPath, &reader) { targets = (targets ?? []) + [(measure, read)] }
                        continue
                    }
                    guard let quarter = Self.quarter(observation, observationPath, &reader),
                        let quantity = OCDSMetricFigures.quantity(observation, observationPath, &reader)
                    else { continue }
                    let cited = observation["notes"]?.stringValue.flatMap(Self.correctedEvent)
                    observations.append(Observation(measure: measure, quarter: quarter, quantity: quantity, corrects: cited))
                }
            }
        }
        if let targets { self.targets = targets }
        if contract["status"]?.stringValue == "terminated" {
            // svledger's own export keeps the term and gives the day closed as a milestone met;
            // other publishers end the contract's period there.
            let milestone = contract["milestones"]?.arrayValue?.first { $0["id"]?.stringValue == OCDSReleaseMaker.closureMilestone }
            closedOn = milestone?["dateMet"]?.stringValue.flatMap(OCDSDates.day)
                ?? contract["period"]?["endDate"]?.stringValue.flatMap(OCDSDates.day) ?? release.day
        }
    }

    /// A target observation: its quantity, or `.some(nil)` for a measure withdrawn at a review
    /// (its notes say so); `nil` when the quantity does not read (the reader notes why).
    static func target(_ observation: OCDSValue, _ path: String, _ reader: inout OCDSValueReader) -> ExactDecimal?? {
        if (observation["notes"]?.stringValue ?? "").lowercased().contains("withdrawn") { return .some(nil) }
        return OCDSMetricFigures.quantity(observation, path, &reader).map { .some($0) }
    }

    /// Whether `metricId` is a social value metric (``OCDSMetricFigures``): svledger prices the
    /// measure's quantity itself, so the published £ is not taken, and the finding says so.
    static func socialValueRecomputed(_ metricId: String, _ path: String, _ reader: inout OCDSValueReader) -> Bool {
        guard OCDSMetricFigures.isSocialValue(metricId) else { return false }
        reader.note(.recomputed, path, "svledger prices the measure's quantity with the catalog's proxy value itself; the published social value £ is not taken")
        return true
    }

    /// The financial quarter of an observation: from its period, else from its id (`2025-26-Q1`).
    static func quarter(_ observation: OCDSValue, _ path: String, _ reader: inout OCDSValueReader) -> FinancialQuarter? {
        if let start = observation["period"]?["startDate"]?.stringValue.flatMap(OCDSDates.day) {
            let quarter = FinancialQuarter(containing: start)
            if let end = observation["period"]?["endDate"]?.stringValue.flatMap(OCDSDates.day), end != quarter.lastDay || start != quarter.firstDay {
                reader.note(.invalidValue, "\(path).period", "\(start) to \(end) is not one financial quarter; svledger records returns by quarter")
                return nil
            }
            return quarter
        }
        if let id = observation["id"]?.stringValue, let quarter = FinancialQuarter(id) { return quarter }
        reader.note(.missingField, "\(path).period", "an observation needs its period (a financial quarter)")
        return nil
    }

    static func policy(_ rationale: String?) -> String? {
        guard let rationale, let start = rationale.range(of: "under policy ")?.upperBound else { return nil }
        let reference = rationale[start...].prefix { !$0.isWhitespace && $0 != ":" && $0 != "," }
        let id = reference.split(separator: "@").first.map(String.init)
        return id?.isEmpty == false ? id : nil
    }

    /// The reason of a weighting set by board override, from `svledger export ocds`'s
    /// description: `… on a board override (Safety-critical market; minute 2025/14).`
    static func overrideReason(_ description: String?) -> String? {
        guard let description, let start = description.range(of: "board override (")?.upperBound,
            let end = description.range(of: ")", options: .backwards)?.lowerBound, start < end
        else { return nil }
        return String(description[start..<end])
    }

    static func correctedEvent(_ notes: String) -> String? {
        guard let start = notes.range(of: "corrects event ")?.upperBound else { return nil }
        let id = notes[start...].prefix { !$0.isWhitespace && $0 != ";" }
        return id.isEmpty ? nil : String(id)
    }

    /// An award's supplier's name: its own, else its party's by id.
    static func supplierName(_ supplier: OCDSValue, in release: OCDSValue) -> String? {
        trimmed(supplier["name"]?.stringValue ?? supplier["id"]?.stringValue.flatMap { id in parties(release).first { $0["id"]?.stringValue == id }?["name"]?.stringValue })
    }

    static func parties(_ release: OCDSValue) -> [OCDSValue] { release["parties"]?.arrayValue ?? [] }

    /// `text` without the white space around it; nil when nothing is left.
    static func trimmed(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }

    /// The party an award's supplier (or the buyer) names: by its id, else by its name.
    static func party(_ release: OCDSValue, id: String?, name: String?) -> (index: Int, party: OCDSValue)? {
        let all = parties(release)
        if let id, let index = all.firstIndex(where: { $0["id"]?.stringValue == id }) { return (index, all[index]) }
        if let name, let index = all.firstIndex(where: { trimmed($0["name"]?.stringValue) == name }) { return (index, all[index]) }
        return nil
    }

    /// `releases[3]` of `releases[3].awards[0]`.
    static func releasePath(_ path: String) -> String { String(path.prefix { $0 != "." }) }

    /// A party's registered identifiers (`identifier`, then `additionalIdentifiers`) and address,
    /// as svledger keeps them (``OrganisationDetails``); one that is not an org-id.guide scheme
    /// and an id is said and left out.
    static func details(ofParty party: OCDSValue, _ path: String, _ reader: inout OCDSValueReader) -> OrganisationDetails? {
        var identifiers: [OrganisationDetails.Identifier] = []
        let given = [("identifier", party["identifier"])] + (party["additionalIdentifiers"]?.arrayValue ?? []).enumerated().map { ("additionalIdentifiers[\($0.offset)]", $0.element) }
        for (key, value) in given {
            guard let value, let scheme = value["scheme"]?.stringValue, let id = value["id"]?.stringValue ?? value["id"]?.decimalText else { continue }
            if let problem = OrganisationDetails.schemeProblem(scheme) ?? OrganisationDetails.idProblem(id) {
                reader.note(.notMapped, "\(path).\(key)", "\(scheme) \(id) is not recorded: it \(problem)")
                continue
            }
            if !identifiers.contains(where: { $0.scheme == scheme && $0.id == id }) { identifiers.append(.init(scheme: scheme, id: id)) }
        }
        let fields = party["address"]
        func field(_ key: String) -> String? { trimmed(fields?[key]?.stringValue) }
        let address = fields.map { _ in
            OrganisationDetails.Address(
                streetAddress: field("streetAddress"), locality: field("locality"), region: field("region"), postalCode: field("postalCode"),
                countryName: field("countryName"))
        }
        return OrganisationDetails(identifiers: identifiers, address: address)
    }

    static func party(_ release: OCDSValue, role: String) -> OCDSValue? {
        parties(release).first { $0["roles"]?.arrayValue?.contains(.string(role)) ?? false }
    }

    /// Areas served, where the notice states them (the location extension): the delivery
    /// addresses of the tender and of each item, by region (Find a Tender gives the ITL code
    /// there, such as UKD44), else locality, else postal code; then the delivery locations, by
    /// description, else their gazetteer's identifiers (ITL or NUTS codes). Each once, in order.
    static func areas(_ tender: OCDSValue?) -> [String]? {
        let holders = [tender].compactMap { $0 } + (tender?["items"]?.arrayValue ?? [])
        var areas: [String] = []
        func add(_ area: String?) {
            guard let area = area?.trimmingCharacters(in: .whitespaces), !area.isEmpty, !areas.contains(area) else { return }
            areas.append(area)
        }
        for holder in holders {
            for address in holder["deliveryAddresses"]?.arrayValue ?? [] {
                add(address["region"]?.stringValue ?? address["locality"]?.stringValue ?? address["postalCode"]?.stringValue)
            }
        }
        for holder in holders {
            for location in holder["deliveryLocations"]?.arrayValue ?? [] {
                if let description = location["description"]?.stringValue {
                    add(description)
                } else {
                    for identifier in location["gazetteer"]?["identifiers"]?.arrayValue ?? [] { add(identifier.stringValue) }
                }
            }
        }
        return areas.isEmpty ? nil : areas
    }
}
