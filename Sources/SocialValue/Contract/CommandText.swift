import LedgerValues

extension ContractCommand {
    /// Refuses a command whose text breaks ``TextRules``: an identifier outside its character
    /// set (`invalid-identifier`) or any text over its limit (`text-too-long`). Each field is
    /// named by its path in the command's JSON form (`lines[1].measure`). `decide` checks this
    /// first, before any other rule.
    public func checkText() throws(DomainError) {
        try TextRules.checkIdentifier(contract, .contract, field: "contract")
        try TextRules.checkWho(actor, reason: reason)
        switch action {
        case .register(let registration):
            if registration.reference != contract { try TextRules.checkIdentifier(registration.reference, .contract, field: "contract") }
            try TextRules.checkName(registration.title, field: "title")
            try TextRules.checkName(registration.buyerDepartment, field: "buyerDepartment")
            for (index, area) in registration.areasServed.enumerated() { try TextRules.checkName(area, field: "areasServed[\(index)]") }
            try TextRules.checkIdentifier(registration.policyId, .reference, field: "policyId")
            if let supplier = registration.existingSupplier { try TextRules.checkName(supplier, field: "existingSupplier") }
            try registration.buyerDetails?.checkText(field: "buyerDetails")
            try registration.existingSupplierDetails?.checkText(field: "existingSupplierDetails")
            for (index, identifier) in registration.identifiers.enumerated() {
                // An identifier is kept as its publisher wrote it (spaces and all), as a name is.
                try TextRules.checkName(identifier.scheme, field: "identifiers[\(index)].scheme")
                try TextRules.checkName(identifier.id, field: "identifiers[\(index)].id")
            }
        case .assessThreshold, .close, .correctAward:
            break
        case .eraseEvidence(let sha256):
            guard EvidenceFile.isSHA256(sha256) else {
                throw DomainError(.evidenceFile, "\(field: "sha256") \(DisplayText.quoted(String(sha256.prefix(80)))) is not a SHA-256 (64 lowercase hex digits)")
            }
        case .queryDelivery(_, let measure, let question):
            try TextRules.checkIdentifier(measure, .measure, field: "measure")
            try TextRules.checkNote(question, field: "question")
        case .answerQuery(_, let measure, let answer, let lines):
            try TextRules.checkIdentifier(measure, .measure, field: "measure")
            try TextRules.checkNote(answer, field: "answer")
            try Self.checkLines(lines, "lines")
        case .agreeKPIs(let kpis):
            for (index, kpi) in kpis.enumerated() {
                try TextRules.checkIdentifier(kpi.id, .measure, field: "kpis[\(index)].id")
                try TextRules.checkName(kpi.name, field: "kpis[\(index)].name")
                try TextRules.checkNote(kpi.description, field: "kpis[\(index)].description")
                try TextRules.checkNote(kpi.target, field: "kpis[\(index)].target")
                for (number, code) in kpi.measures.enumerated() { try TextRules.checkIdentifier(code, .measure, field: "kpis[\(index)].measures[\(number)]") }
            }
        case .exemptFromKPIs: break
        case .assessKPI(let assessment): try TextRules.checkIdentifier(assessment.kpi, .measure, field: "kpi")
        case .arrangeReporting(let arrangement):
            if let manager = arrangement.contractManager { try TextRules.checkName(manager, field: "contractManager") }
            if let email = arrangement.contractManagerEmail { try TextRules.checkName(email, field: "contractManagerEmail") }
        case .decideValidation(_, let measures, _):
            for (index, code) in measures.enumerated() { try TextRules.checkIdentifier(code, .measure, field: "measures[\(index)]") }
        case .requestExemption(let businessCase), .decideExemption(_, let businessCase):
            try TextRules.checkName(businessCase, field: "businessCaseReference")
        case .decideWeighting(_, _, let answers, let overrideReason):
            if let answers {
                try TextRules.checkName(answers.impact, field: "matrixAnswers.impact")
                try TextRules.checkName(answers.areaNeeds, field: "matrixAnswers.areaNeeds")
            }
            if let overrideReason { try TextRules.checkNote(overrideReason, field: "overrideReason") }
        case .evaluateBids(let catalog, let bidders):
            try TextRules.checkCatalogReference(catalog, field: "catalog")
            for (index, bidder) in bidders.enumerated() {
                try TextRules.checkName(bidder.name, field: "bidders[\(index)].bidder")
                try Self.checkLines(bidder.lines, "bidders[\(index)].lines")
            }
        case .award(let supplier, _, _, let details):
            try TextRules.checkName(supplier, field: "supplier")
            try details?.checkText(field: "supplierDetails")
        case .recordPledge(let catalog, let lines, let statedValues):
            try TextRules.checkCatalogReference(catalog, field: "catalog")
            try Self.checkLines(lines, "lines")
            for (code, stated) in statedValues.sorted(by: { $0.key < $1.key }) {
                try TextRules.checkIdentifier(code, .measure, field: "statedValues")
                try TextRules.checkName(stated, field: "statedValues.\(code)")
            }
        case .reportDelivery(_, let lines, _), .correctDelivery(_, let lines):
            try Self.checkLines(lines, "lines")
        case .correctQuarter(_, let measure, let lines):
            if let measure { try TextRules.checkIdentifier(measure, .measure, field: "measure") }
            try Self.checkLines(lines, "lines")
        case .refreshCommitments(let revise, let add, let withdraw, let catalog):
            try Self.checkLines(revise, "revise")
            try Self.checkLines(add, "add")
            for (index, code) in withdraw.enumerated() { try TextRules.checkIdentifier(code, .measure, field: "withdraw[\(index)]") }
            if let catalog { try TextRules.checkCatalogReference(catalog, field: "catalog") }
        }
    }

    static func checkLines(_ lines: [QuantityLine], _ key: String) throws(DomainError) {
        for (index, line) in lines.enumerated() {
            try TextRules.checkIdentifier(line.measure, .measure, field: "\(key)[\(index)].measure")
            if let evidence = line.evidence { try TextRules.checkName(evidence, field: "\(key)[\(index)].evidence") }
            if line.evidenceFiles.count > EvidenceFile.perLine {
                throw DomainError(.evidenceFile, "\(field: "\(key)[\(index)].evidenceFiles") holds \(line.evidenceFiles.count) files; a line carries at most \(EvidenceFile.perLine)")
            }
            for (number, file) in line.evidenceFiles.enumerated() {
                try file.check(field: "\(key)[\(index)].evidenceFiles[\(number)]")
                if line.evidenceFiles[..<number].contains(where: { $0.sha256 == file.sha256 }) {
                    throw DomainError(.evidenceFile, "\(field: "\(key)[\(index)].evidenceFiles[\(number)]") \(DisplayText.quoted(file.name)) is the same file as another of the line's")
                }
            }
        }
    }
}

extension LedgerCommand {
    /// Refuses a command whose text breaks ``TextRules``: for a contract command
    /// ``ContractCommand/checkText()``; for adopting a policy or publishing a catalog, who and
    /// why (the document itself is checked by ``ReferenceData/adopt(_:)`` and
    /// ``ReferenceData/publish(_:)``).
    public func checkText() throws(DomainError) {
        switch self {
        case .contract(let command): try command.checkText()
        case .adoptPolicy(_, let actor, let reason), .publishCatalog(_, let actor, let reason): try TextRules.checkWho(actor, reason: reason)
        }
    }
}

extension Policy {
    /// Refuses a policy whose id or version is not an identifier, whose title or other names
    /// are over the name limit, or which holds any text over the note limit.
    func checkText() throws(DomainError) {
        try TextRules.checkIdentifier(id, .reference, field: "policyId")
        try TextRules.checkIdentifier(version, .version, field: "version")
        try TextRules.checkName(title, field: "title")
        try TextRules.checkName(council, field: "council")
        try TextRules.checkName(reportingCadence, field: "reportingCadence")
        if let body = weighting.overrideBody { try TextRules.checkName(body, field: "weighting.overrideBody") }
        for (index, authority) in exemptionAuthorities.enumerated() { try TextRules.checkName(authority, field: "exemption.authorities[\(index)]") }
        try TextRules.checkDocument(document)
    }
}

extension Catalog {
    /// Refuses a catalog whose id, version or measure codes are not identifiers, whose names
    /// are over the name limit, or which holds any text over the note limit.
    func checkText() throws(DomainError) {
        try TextRules.checkIdentifier(id, .reference, field: "catalogId")
        try TextRules.checkIdentifier(version, .version, field: "version")
        try TextRules.checkName(title, field: "title")
        for (index, code) in order.enumerated() {
            let measure = measures[code]!
            let path = "measures[\(index)]"
            try TextRules.checkIdentifier(code, .measure, field: "\(path).code")
            try TextRules.checkName(measure.theme, field: "\(path).theme")
            if let outcome = measure.outcome { try TextRules.checkName(outcome, field: "\(path).outcome") }
            try TextRules.checkName(measure.unit, field: "\(path).unit")
            if let source = measure.proxySource { try TextRules.checkName(source, field: "\(path).proxySource") }
        }
        try TextRules.checkDocument(document)
    }
}

extension TextRules {
    /// Refuses an actor id or role over the name limit, or a reason over the note limit.
    static func checkWho(_ actor: ActorIdentity, reason: String?) throws(DomainError) {
        try checkName(actor.id, field: "actor.id")
        try checkName(actor.role, field: "actor.role")
        if let reason { try checkNote(reason, field: "reason") }
    }

    /// Refuses a document holding a key over the name limit or a string over the note limit,
    /// naming its path.
    static func checkDocument(_ value: JSONValue, path: String = "") throws(DomainError) {
        switch value {
        case .string(let text):
            try checkNote(text, field: path)
        case .array(let elements):
            for (index, element) in elements.enumerated() { try checkDocument(element, path: "\(path)[\(index)]") }
        case .object(let members):
            for member in members {
                try checkName(member.key, field: path.isEmpty ? "a key" : "a key of \(path)")
                try checkDocument(member.value, path: path.isEmpty ? member.key : "\(path).\(member.key)")
            }
        default:
            break
        }
    }
}
