import LedgerValues
import SocialValue

/// Plans one notice: walks its releases oldest first and turns what each newly says into
/// ordinary contract commands, skipping what the ledger already holds.
///
/// Each command is judged by `decide` against a state that starts as the ledger's and
/// evolves with every planned event, so that the plan follows the rules' order and a refusal
/// shows in the dry run, naming its rule.
struct NoticePlanner {
    let notice: OCDSNotice
    let referenceData: ReferenceData
    let options: OCDSImportOptions
    let facts: [OCDSReleaseFacts]
    let reference: String
    /// The contract's or tender's id as the notice published it, if it gave one.
    let publishedId: String?
    var reader: OCDSValueReader
    var steps: [OCDSImportPlan.Step] = []
    /// The state the next command is judged against.
    var state = ContractState()
    /// Set when a command is refused or a needed value is missing: later steps depend on it.
    var stopped = false

    /// - Parameter known: the contract the ledger already holds under the notice's ocid.
    init(notice: OCDSNotice, reference: ReferenceData, options: OCDSImportOptions, known: String? = nil) {
        self.notice = notice
        self.referenceData = reference
        self.options = options
        var reader = OCDSValueReader(ocid: notice.ocid)
        facts = notice.releases.map { OCDSReleaseFacts($0, supplier: options.supplier, ownExport: notice.releasesAreEvents, reader: &reader) }
        if let known {
            // An earlier import kept this ocid on the contract: its later releases continue it,
            // whatever ids they give or leave out.
            (self.reference, self.publishedId) = (known, nil)
        } else {
            (self.reference, self.publishedId) = Self.reference(notice, facts, options: options, reader: &reader)
        }
        var unmapped = Set<String>()
        for release in notice.releases {
            let checked = notice.releasesAreEvents ? OCDSEventDates.withoutEventDates(release.json) : release.json
            for field in OCDSFieldCoverage.unmapped(checked, at: release.path) where unmapped.insert(field.normalized).inserted {
                let message = field.kind == .recomputed
                    ? "svledger works this out by its own rules (policy threshold, reconciliation); the published value is not taken"
                    : "svledger has no field for \(field.normalized); it is not recorded"
                reader.note(field.kind, field.path, message)
            }
        }
        self.reader = reader
    }

    // MARK: - The walk

    mutating func plan(_ recorded: OCDSRecordedContract) {
        let ledgerState = recorded.state
        state = ledgerState
        if let index = facts.firstIndex(where: { $0.exemption != nil }), ledgerState.exemption == nil {
            // An exemption is decided by the role the policy names; an import acts as the
            // importer, so it cannot record one, and a contract imported without it would be
            // wrong (a running contract, or one owing a weighting). Nothing is planned.
            reader.note(
                .notImported, "\(notice.releases[index].path).planning.rationale",
                "the notice records an exemption (\"\(DisplayText.escaped(String(facts[index].exemption!.prefix(240))))\"), which svledger records only as the role the policy names: record the contract up to it by hand (contract register, threshold assess, exemption request, and exemption decide as that role), then import again to take the rest")
            stopped = true
            return
        }
        let registration = mergedRegistration()
        let existingSupplier = facts.lazy.compactMap(\.existingSupplier).first
        let existingSupplierDetails = facts.first { $0.existingSupplier != nil }?.supplierDetails
        let assessedLater = facts.contains(where: \.assessesThreshold)
        let running = registration.flatMap { registersAsRunning($0) } ?? false
        var commitments = Self.commitmentHistory(ledgerState), matchedCommitments = 0
        var figures = Self.figureHistory(recorded), matchedFigures: [FigureKey: Int] = [:], lastFigure: [FigureKey: ExactDecimal] = [:]
        var planned: [String: ExactDecimal?] = [:], lastTargets: [String: ExactDecimal]? = nil
        var attributionNoted = false
        // The award as the releases merged in date order give it: a later release (an
        // awardUpdate correcting the value or the date) wins over an earlier one.
        let finalIndex = facts.lastIndex { $0.award != nil }
        let finalAward = finalIndex.flatMap { facts[$0].award }
        let finalSupplierDetails = finalIndex.flatMap { facts[$0].supplierDetails }
        var awardSettled = false
        var awards = Self.awardHistory(ledgerState), matchedAwards = 0

        for (release, said) in zip(notice.releases, facts) {
            guard !stopped else { break }
            // The day the release's event took effect: svledger's own export says it in the
            // event's field (its `date` is when it was recorded); another publisher's release is
            // dated by its `date`.
            let day = notice.releasesAreEvents ? OCDSEventDates.day(of: release.json) ?? release.day : release.day
            if !state.exists, let registration, !running, said.hasTender || said.award != nil {
                if let supplier = existingSupplier {
                    act(release, day, .register(registration.with(existingSupplier: supplier, details: existingSupplierDetails, migrated: migrated(from: day))))
                } else {
                    act(release, day, .register(registration))
                }
            }
            // A threshold assessment at the release that records one; a notice from elsewhere
            // has none, so it is assessed with the registration, as the rules need before award.
            if state.exists, state.assessment == nil, state.supplier == nil,
                said.assessesThreshold || (!assessedLater && existingSupplier == nil)
            {
                act(release, day, .assessThreshold)
            }
            if let percent = said.weighting, state.exists, state.weighting == nil { decideWeighting(release, day, percent, said.overrideReason) }
            // svledger's own export has a release per event: the award, then each correction of
            // it, each recorded as it comes. Another publisher's releases are merged: the latest
            // award is the one recorded, settled at the first release that gives an award once
            // there is a contract to award (or one to register as running with it).
            if let given = said.award, state.exists || running, notice.releasesAreEvents || !awardSettled {
                awardSettled = true
                let own = notice.releasesAreEvents
                let source = own ? release : notice.releases[finalIndex!]   // the release whose award is recorded
                let award = own ? given : finalAward!
                let details = own ? said.supplierDetails : finalSupplierDetails
                if !own, given != award { supersededAward(given, by: award, in: release, correcting: source) }
                if state.supplier == nil {
                    if running, !state.exists, let registration {
                        act(release, award.date, .register(registration.with(existingSupplier: award.supplier, details: details)))
                    } else if state.exists {
                        act(release, award.date, .award(supplier: award.supplier, date: award.date, value: award.value, supplierDetails: details))
                        awards.append(AwardTerms(award))
                        matchedAwards = awards.count
                    }
                } else if state.award != nil {
                    settleAward(AwardTerms(award), source, on: own ? day : source.day, history: &awards, matched: &matchedAwards)
                }
            }
            if let targets = said.targets {
                for (measure, quantity) in targets { planned[measure] = quantity }
                let current = planned.compactMapValues { $0 }
                if current != lastTargets {
                    defer { lastTargets = current }
                    switch Self.match(current, commitments, at: matchedCommitments) {
                    case .matched(let next): matchedCommitments = next
                    case .differs: conflict(release, "the agreed metrics differ from the commitments contract \(reference) already has in the ledger")
                    case .new:
                        changeCommitments(release, day, from: lastTargets ?? commitments.last, to: current, order: targets.map(\.measure))
                        commitments.append(current)
                        matchedCommitments = commitments.count
                    }
                }
            }
            var reports: [FinancialQuarter: [QuantityLine]] = [:], corrections: [FinancialQuarter: [QuantityLine]] = [:]
            for observation in said.observations {
                let key = FigureKey(measure: observation.measure, quarter: observation.quarter)
                // The same figure again is nothing new (a package that repeats earlier notices),
                // unless each release is an event and this one is a correction.
                let isCorrection = notice.releasesAreEvents && observation.corrects != nil
                if lastFigure[key] == observation.quantity, !isCorrection { continue }
                lastFigure[key] = observation.quantity
                let recorded = figures[key] ?? []
                switch Self.match(observation.quantity, recorded, at: matchedFigures[key] ?? 0) {
                case .matched(let next):
                    matchedFigures[key] = next
                    continue
                case .differs:
                    conflict(release, "\(observation.measure) for \(observation.quarter) is \(observation.quantity) in the notice but \(recorded.last!) in the ledger")
                case .new:
                    let line = QuantityLine(measure: observation.measure, quantity: observation.quantity, evidence: "OCDS release \(release.id)")
                    // A correction may add a measure its return did not have: it stays a correction.
                    if recorded.isEmpty && (matchedFigures[key] ?? 0) == 0 && observation.corrects == nil {
                        reports[observation.quarter, default: []].append(line)
                    } else {
                        corrections[observation.quarter, default: []].append(line)
                    }
                    figures[key] = recorded + [observation.quantity]
                    matchedFigures[key] = recorded.count + 1
                }
            }
            if !reports.isEmpty, !options.attributionConfirmed, !attributionNoted {
                attributionNoted = true
                reader.note(.attributionNotConfirmed, "\(release.path).contracts[0].implementation", "delivery figures are recorded only when the importer confirms they belong to this contract and quarter (--confirm-attribution)")
            }
            for quarter in reports.keys.sorted() {
                act(release, day, .reportDelivery(quarter: quarter, lines: reports[quarter]!, attributionConfirmed: true))
            }
            for quarter in corrections.keys.sorted() {
                act(release, day, .correctQuarter(quarter: quarter, measure: nil, lines: corrections[quarter]!))
            }
            if let closedOn = said.closedOn, state.exists, !state.isClosed { act(release, closedOn, .close) }
        }
        if !stopped, registration == nil, !state.exists {
            missing("tender", "the notice never gives the tender's title, category, value and term together, so the contract cannot be registered")
        }
        if steps.isEmpty, !stopped, !reader.findings.contains(where: \.blocks) {
            reader.note(.alreadyRecorded, notice.releases.last!.path, "contract \(reference): everything this notice says is already recorded; nothing new")
        }
    }

    /// The registration, from the tender as the releases merged give it; nil (with findings)
    /// when something it needs is missing and the contract is not yet in the ledger.
    mutating func mergedRegistration() -> Registration? {
        guard !state.exists else { return nil }
        let path = notice.releases.first { release in facts[notice.releases.firstIndex { $0.id == release.id }!].hasTender }?.path ?? notice.releases[0].path
        func last<T>(_ value: (OCDSReleaseFacts) -> T?) -> T? { facts.reversed().lazy.compactMap(value).first }
        var absent: [String] = []
        let title = last(\.title), buyer = last(\.buyer), category = last(\.category), value = last(\.estimatedValue)
        let start = last(\.start), end = last(\.end)
        if title == nil { absent.append("tender.title") }
        if buyer == nil { absent.append("buyer.name") }
        if category == nil { absent.append("tender.mainProcurementCategory") }
        if value == nil { absent.append("tender.value") }
        if start == nil || end == nil { absent.append("tender.contractPeriod") }
        for field in absent { missing("\(path).\(field)", "registering contract \(reference) needs \(field)") }
        var areas = last(\.areas) ?? []
        if areas.isEmpty {
            areas = options.areas
            if areas.isEmpty {
                missing("\(path).tender.items[].deliveryAddresses", "the notice names no area served (no delivery address or location of the tender or its items, by region, locality, postal code or ITL code); give --area")
            } else {
                reader.note(.defaulted, "\(path).tender.deliveryAddresses", "no area served in the notice: --area \(areas.joined(separator: ", ")) used")
            }
        }
        let named = last(\.policyId).flatMap { referenceData.policies[$0] != nil ? $0 : nil }
        let policy = named ?? defaultedPolicy(path)
        guard absent.isEmpty, !areas.isEmpty, let policy, let title, let buyer, let category, let value, let start, let end else {
            stopped = true
            return nil
        }
        // The notice's ocid and its own id, as published: the contract can be found by them, and
        // an export continues the publisher's process under its ocid. One supplier's contract
        // under a framework is a process of its own (a call-off), under the framework's ocid
        // and its reference, related to the framework's process; a call-off svledger exported
        // says its framework's process (relatedProcesses).
        var identifiers: [ContractIdentifier]
        if facts.contains(where: \.awardsSeveral) {
            identifiers = [ContractIdentifier(scheme: ContractIdentifier.ocid, id: "\(notice.ocid)-\(reference)"), ContractIdentifier(scheme: ContractIdentifier.framework, id: notice.ocid)]
        } else if let framework = last(\.framework) {
            identifiers = [ContractIdentifier(scheme: ContractIdentifier.ocid, id: notice.ocid), ContractIdentifier(scheme: ContractIdentifier.framework, id: framework)]
        } else {
            identifiers = [ContractIdentifier(scheme: ContractIdentifier.ocid, id: notice.ocid)]
        }
        identifiers += publishedId.map { [ContractIdentifier(scheme: ContractIdentifier.notice, id: $0)] } ?? []
        return Registration(
            reference: reference, title: title, buyerDepartment: buyer, category: category, estimatedValue: value,
            startDate: start, endDate: end, areasServed: areas, policyId: policy, existingSupplier: nil, identifiers: identifiers,
            buyerDetails: last(\.buyerDetails))
    }

    /// A notice of an award that gives no weighting cannot go through threshold, weighting and
    /// award when the policy applies (the weighting would be guessed), so it is registered as a
    /// running contract with its supplier from the award date, as the policy treats an
    /// existing supplier; below threshold, the award itself is recorded.
    mutating func registersAsRunning(_ registration: Registration) -> Bool {
        guard let award = facts.lazy.compactMap(\.award).first, !facts.contains(where: { $0.weighting != nil }) else { return false }
        let trial = ContractCommand(contract: reference, actor: options.actor, reason: nil, effectiveDate: award.date, action: .register(registration))
        var scratch = ContractState()
        let context = DecisionContext(reference: referenceData, today: options.today)
        guard let registered = try? decide(trial, state: scratch, context: context).first else { return false }
        scratch.evolve(registered, eventId: .generate(), effectiveDate: award.date)
        let assess = ContractCommand(contract: reference, actor: options.actor, reason: nil, effectiveDate: award.date, action: .assessThreshold)
        guard let assessed = try? decide(assess, state: scratch, context: context).first else { return false }
        scratch.evolve(assessed, eventId: .generate(), effectiveDate: award.date)
        guard scratch.inScope else { return false }
        reader.note(
            .registeredAsRunning, notice.releases.last!.path,
            "contract \(reference) is above the policy's threshold but the notice gives no social value weighting: registered as a running contract with its supplier \(award.supplier) from \(award.date), not as an award")
        // A running contract has no award event to hold the award's value: said, not dropped.
        let awarded = notice.releases[facts.firstIndex { $0.award != nil } ?? 0]
        reader.note(
            .notMapped, "\(awarded.path).awards[0].value",
            "the award's value, \(award.value.formatted), is not recorded: a contract registered as running has no award event (its date, \(award.date), is the registration's)")
        return true
    }

    /// The contract id: `--contract-id` when given; else, in this order, the contract's id, the
    /// tender's, or the ocid without its prefix, the latest release that gives one winning, as in
    /// a compiled record. A notice id that cannot be a contract id is made into one
    /// (``OCDSContractID``), with a finding naming both.
    /// Also gives the id the notice itself gave, as published, when it gave one.
    static func reference(_ notice: OCDSNotice, _ facts: [OCDSReleaseFacts], options: OCDSImportOptions, reader: inout OCDSValueReader) -> (String, String?) {
        let given: (id: String, path: String)? =
            facts.indices.last(where: { facts[$0].contractId != nil }).map { (facts[$0].contractId!, "\(notice.releases[$0].path).contracts[0].id") }
            ?? facts.indices.last(where: { facts[$0].tenderId != nil }).map { (facts[$0].tenderId!, "\(notice.releases[$0].path).tender.id") }
        if let chosen = options.contractId { return (chosen, given?.id) }
        let id = given?.id ?? OCDSImportPlan.reference(fromOcid: notice.ocid)
        let path = given?.path ?? "\(notice.releases[0].path).ocid"
        guard let problem = TextRules.identifierProblem(id, .contract) ?? (id.unicodeScalars.count > TextRules.identifierLimit ? "is longer than \(TextRules.identifierLimit) characters" : nil) else {
            return (id, given?.id)
        }
        guard let derived = OCDSContractID.derived(from: id) else {
            reader.note(.missingField, path, "\(DisplayText.quoted(id)) cannot be a contract id (it \(problem)), and none can be made from it: give --contract-id")
            return (id, given?.id)
        }
        reader.note(.defaulted, path, "\(DisplayText.quoted(id)) cannot be a contract id (it \(problem)): contract \(derived) is used; give --contract-id to choose another")
        return (derived, given?.id)
    }

    /// An award a later release of the notice corrects (an `awardUpdate`): the later is recorded,
    /// and the finding names both, so that the correction shows.
    mutating func supersededAward(
        _ earlier: (supplier: String, date: CalendarDate, value: Money), by later: (supplier: String, date: CalendarDate, value: Money), in release: OCDSRelease,
        correcting: OCDSRelease
    ) {
        reader.note(
            .superseded, "\(release.path).awards[0]",
            "release \(correcting.id) (\(correcting.day)) corrects this award, \(earlier.value.formatted) on \(earlier.date) to \(earlier.supplier), to \(later.value.formatted) on \(later.date) to \(later.supplier): the later is recorded")
    }

    /// An award a notice gives for a contract the ledger has awarded: nothing new when it is the
    /// award as recorded (or as last corrected); else a correction of its value and date. A
    /// different supplier is another award, which svledger does not record over the first.
    mutating func settleAward(_ award: AwardTerms, _ release: OCDSRelease, on day: CalendarDate, history: inout [AwardTerms], matched: inout Int) {
        // An award the ledger has held at any time (the award, or a correction since replaced)
        // is nothing new: an older package imported again must not undo a later correction.
        if let index = history.lastIndex(of: award) {
            matched = max(matched, index + 1)
            return
        }
        switch Self.match(award, history, at: matched) {
        case .matched(let next):
            matched = next
        case .differs, .new:
            let recorded = history.last!
            guard recorded.sameSupplier(as: award) else {
                conflict(
                    release,
                    "the notice awards contract \(reference) to \(award.supplier), but the ledger records its award to \(recorded.supplier); svledger corrects an award's value and date, not its supplier")
                return
            }
            // Another publisher's notice corrects an award only by saying so (an awardUpdate);
            // any other award that disagrees with the ledger's is a conflict to look into, not
            // a reason to change what was recorded (by hand, say).
            guard notice.releasesAreEvents || Self.tags(of: release).contains("awardUpdate") else {
                conflict(
                    release,
                    "the notice's award is \(award.value.formatted) on \(award.date) to \(award.supplier), but contract \(reference) was awarded \(recorded.value.formatted) on \(recorded.date) in the ledger, and the release is not an awardUpdate that corrects it")
                return
            }
            act(release, day, .correctAward(value: award.value != recorded.value ? award.value : nil, date: award.date != recorded.date ? award.date : nil))
            history.append(award)
            matched = history.count
        }
    }

    static func tags(of release: OCDSRelease) -> [String] {
        release.json["tag"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    // MARK: - Steps

    /// A running contract whose notice reports quarters that ended before its registration was
    /// taken on as migrated (only a migrated contract may have them), and the finding says so.
    mutating func migrated(from registeredOn: CalendarDate) -> Bool {
        guard let early = facts.flatMap(\.observations).map(\.quarter).min(), early.lastDay < registeredOn else { return false }
        reader.note(
            .registeredAsRunning, notice.releases[0].path,
            "contract \(reference) reports \(early), before its registration on \(registeredOn): registered as a migrated running contract")
        return true
    }

    mutating func decideWeighting(_ release: OCDSRelease, _ day: CalendarDate, _ percent: ExactDecimal, _ overrideReason: String?) {
        if let overrideReason {
            act(release, day, .decideWeighting(percent: percent, basis: .boardOverride, answers: nil, overrideReason: overrideReason))
            return
        }
        let rule = state.assessment.flatMap { referenceData.policy($0.policyId, version: $0.policyVersion) }?.weighting
        if rule?.kind == .matrix {
            // The import is all or nothing: when this import would register the contract, the
            // weighting cannot be recorded on its own first.
            let byHand = steps.isEmpty
                ? "record it with `svledger weighting decide` and the answers"
                : "record the contract up to it by hand (contract register, threshold assess, and weighting decide with the answers)"
            missing("\(release.path).tender.lots[0].awardCriteria", "policy sets the weighting from its matrix, whose answers a notice does not give: \(byHand), then import again to take the rest")
            stopped = true
            return
        }
        act(release, day, .decideWeighting(percent: percent, basis: .policyMinimum, answers: nil, overrideReason: nil))
    }

    mutating func changeCommitments(_ release: OCDSRelease, _ day: CalendarDate, from old: [String: ExactDecimal]?, to new: [String: ExactDecimal], order: [String]) {
        guard let old, state.commitment != nil else {
            guard let catalog = defaultedCatalog(release.path) else { return }
            let lines = order.filter { new[$0] != nil }.map { QuantityLine(measure: $0, quantity: new[$0]!) }
            act(release, day, .recordPledge(catalog: catalog, lines: lines, statedValues: [:]))
            return
        }
        let revise = order.filter { old[$0] != nil && new[$0] != nil && old[$0] != new[$0] }.map { QuantityLine(measure: $0, quantity: new[$0]!) }
        let add = order.filter { old[$0] == nil && new[$0] != nil }.map { QuantityLine(measure: $0, quantity: new[$0]!) }
        let withdraw = old.keys.sorted().filter { new[$0] == nil }
        act(release, day, .refreshCommitments(revise: revise, add: add, withdraw: withdraw, catalog: nil))
    }

    /// Judges one command against the state so far and, if accepted, plans it.
    mutating func act(_ release: OCDSRelease, _ day: CalendarDate, _ action: ContractAction) {
        guard !stopped else { return }
        let command = ContractCommand(
            contract: reference, actor: options.actor, reason: options.reason ?? "imported from OCDS release \(release.id) of \(notice.ocid)",
            effectiveDate: day, action: action)
        do {
            let events = try decide(command, state: state, context: DecisionContext(reference: referenceData, today: options.today))
            for event in events {
                state.evolve(event, eventId: .generate(), effectiveDate: day)
                steps.append(OCDSImportPlan.Step(
                    ocid: notice.ocid, reference: reference, releaseId: release.id, command: command, eventType: event.type,
                    summary: EventSummary.describe(type: event.type, payload: event.payload)))
            }
        } catch {
            reader.note(.refusedByRule, release.path, "\(error.kind): \(error.text)")
            stopped = true
        }
    }

    mutating func missing(_ path: String, _ message: String) {
        reader.note(.missingField, path.hasPrefix("releases[") ? path : "\(notice.releases[0].path).\(path)", message)
    }

    mutating func conflict(_ release: OCDSRelease, _ message: String) {
        reader.note(.conflictsWithLedger, release.path, message)
        stopped = true
    }

    mutating func defaultedPolicy(_ path: String) -> String? {
        if let given = options.policyId { return given }
        let adopted = referenceData.policies.keys.sorted()
        guard adopted.count == 1 else {
            missing("\(path).tender", "a notice names no svledger policy and the ledger has \(adopted.isEmpty ? "none adopted" : "\(adopted.count): \(adopted.joined(separator: ", "))"); give --policy")
            return nil
        }
        reader.note(.defaulted, "\(path).tender", "registered under policy \(adopted[0]), the one policy the ledger has adopted")
        return adopted[0]
    }

    mutating func defaultedCatalog(_ path: String) -> String? {
        if let given = options.catalog { return given }
        let published = referenceData.catalogs.keys.sorted()
        guard published.count == 1, let latest = referenceData.latestCatalog(published[0]) else {
            missing("\(path).contracts[0]", "a notice names no TOMs catalog and the ledger has \(published.isEmpty ? "none published" : "\(published.count): \(published.joined(separator: ", "))"); give --catalog")
            stopped = true
            return nil
        }
        reader.note(.defaulted, "\(path).contracts[0]", "pledge priced with catalog \(latest.reference), the one catalog the ledger has published")
        return latest.reference
    }
}
