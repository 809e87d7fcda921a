import LedgerValues
import Queries
import SocialValue

/// Days and quarters typed on the command line. A value that does not read, or falls outside the
/// years svledger names, is wrong input like any other (exit 65, one line naming the flag and
/// the kind `invalid-date` or `invalid-period`), never a usage error with the whole usage
/// printed after it: the command line was right, the value in it was not.
enum DateOption {
    /// `text` as a day, or `nil` when the flag was not given.
    static func day(_ text: String?, flag: String, readable: Bool = false) throws -> CalendarDate? {
        guard let text else { return nil }
        guard let day = CalendarDate(text) else {
            throw CLIError(.input, "invalid-date", "\(flag) must be a date YYYY-MM-DD, got \(DisplayText.quoted(text))")
        }
        if readable, !ReadRange.contains(day) {
            throw CLIError(.input, "invalid-date", "\(flag) must be \(ReadRange.described), got \(day)")
        }
        return day
    }

    /// `text` as a financial quarter within the years svledger reads.
    static func quarter(_ text: String, flag: String = "--period") throws -> FinancialQuarter {
        guard let quarter = FinancialQuarter(text) else {
            throw CLIError(.input, "invalid-period", "\(flag) must be a quarter like 2025-26-Q2, got \(DisplayText.quoted(text))")
        }
        guard ReadRange.contains(quarter) else { throw CLIError(.input, "invalid-period", "\(flag) must be \(ReadRange.described), got \(text)") }
        return quarter
    }
}
