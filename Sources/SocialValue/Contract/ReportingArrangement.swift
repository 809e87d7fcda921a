import LedgerValues

/// `ReportingArranged`: who manages the contract's returns, and how many days after a quarter
/// ends its return is due when the contract departs from its policy (docs/calendar.md). What
/// an arrangement leaves out stays as arranged before.
public struct ReportingArrangement: Sendable, Equatable {
    /// The council officer who manages the contract: whom `svledger due` lists its returns under
    /// and its reminders copy.
    public let contractManager: String?
    public let contractManagerEmail: String?
    /// The contract's own number of days, in place of its policy's.
    public let returnDueDays: Int?

    init(contractManager: String?, contractManagerEmail: String?, returnDueDays: Int?) {
        self.contractManager = contractManager
        self.contractManagerEmail = contractManagerEmail
        self.returnDueDays = returnDueDays
    }

    init(_ reader: FieldReader) throws(InputError) {
        self.init(
            contractManager: try reader.optionalString("contractManager"), contractManagerEmail: try reader.optionalString("contractManagerEmail"),
            returnDueDays: reader.has("returnDueDays") ? try reader.integer("returnDueDays") : nil)
    }

    var json: JSONValue {
        var members: JSONObject = [:]
        if let contractManager { members["contractManager"] = .string(contractManager) }
        if let contractManagerEmail { members["contractManagerEmail"] = .string(contractManagerEmail) }
        if let returnDueDays { members["returnDueDays"] = .integer(Int64(returnDueDays)) }
        return .object(members)
    }

    /// An email address as a reminder needs it: one `@`, something either side, no spaces or
    /// angle brackets (it goes into an SMTP envelope and a header).
    public static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && !text.contains { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," || $0 == ";" || $0.asciiValue.map { $0 < 0x20 } == true }
    }
}

extension ContractRules {
    func arrangeReporting(_ arrangement: ReportingArrangement) throws(DomainError) -> ContractEvent {
        guard arrangement.contractManager != nil || arrangement.contractManagerEmail != nil || arrangement.returnDueDays != nil else {
            throw DomainError(.invalidInput, "\(field: "contractManager") an arrangement names the contract manager, their email, or the returnDueDays (or several)")
        }
        if let days = arrangement.returnDueDays, !(0...Policy.returnDueDaysLimit).contains(days) {
            throw DomainError(.invalidInput, "\(field: "returnDueDays") must be 0 to \(Policy.returnDueDaysLimit) days")
        }
        if let email = arrangement.contractManagerEmail, !ReportingArrangement.isEmail(email) {
            throw DomainError(.invalidInput, "\(field: "contractManagerEmail") \(DisplayText.quoted(email)) is not an email address")
        }
        return .reportingArranged(arrangement)
    }
}
