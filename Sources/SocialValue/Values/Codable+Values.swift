import LedgerValues

/// Exact values encode as their text forms ("0.25", "804.50", "2025-26-Q1"), never as JSON numbers.
extension ExactDecimal: TextCodable {
    public static func parseText(_ text: String) -> ExactDecimal? { try? ValueParsing.decimal(text, allowNegative: true) }
}

extension Money: TextCodable {
    public static func parseText(_ text: String) -> Money? {
        (try? ValueParsing.decimal(text, allowNegative: true)).map(Money.rounding)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(plain)
    }
}

// The domain's vocabularies encode as their raw text (read models and JSON outputs).
extension Stage: Codable {}
extension ContractCategory: Codable {}
extension ThresholdAssessment.Outcome: Codable {}
extension WeightingDecision.Basis: Codable {}
extension ExemptionStatus: Codable {}

extension FinancialQuarter: TextCodable {
    public static func parseText(_ text: String) -> FinancialQuarter? { FinancialQuarter(text) }
}
