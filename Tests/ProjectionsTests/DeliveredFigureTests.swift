import LedgerValues
import Projections
import SocialValue
import Testing

/// A delivered figure keeps its rarely set facts (evidence files, a check's question, answer and
/// decision) apart, behind one reference: each must still read back what was set, a copy must
/// never see another's change, and a figure with them cleared is the figure without them.
@Suite("Delivered figures")
struct DeliveredFigureTests {
    static func figure() -> ContractProjection.DeliveredFigure {
        .init(
            quarter: FinancialQuarter("2026-27-Q1")!, measure: "NT1", quantity: ExactDecimal(units: 125, scale: 1), evidence: "EV-2026-27-Q1-payroll",
            pledged: true, source: EventID.generate(), corrected: false)
    }

    @Test("each fact set reads back, and a copy keeps its own")
    func factsReadBackAndCopiesKeepTheirOwn() {
        let original = Self.figure()
        var checked = original
        checked.status = .queried
        checked.question = "Which payroll?"
        checked.answer = "March's"
        checked.decisionReason = "seen the payroll"
        checked.decidedOn = CalendarDate("2026-08-01")
        let file = EvidenceFile(sha256: String(repeating: "a", count: 64), size: 10, mediaType: "application/pdf", name: "payroll.pdf")
        checked.evidenceFiles = [file]

        #expect(checked.question == "Which payroll?" && checked.answer == "March's")
        #expect(checked.decisionReason == "seen the payroll" && checked.decidedOn == CalendarDate("2026-08-01"))
        #expect(checked.evidenceFiles == [file])
        #expect(original.question == nil && original.answer == nil && original.decisionReason == nil && original.decidedOn == nil)
        #expect(original.evidenceFiles.isEmpty && original.status == .submitted)
        #expect(checked != original)

        var copy = checked
        copy.question = "Which month?"
        #expect(checked.question == "Which payroll?", "a change to a copy shows in the figure it was copied from")
        #expect(copy.answer == "March's" && copy.evidenceFiles == [file])
    }

    @Test("a figure whose facts are cleared again equals the figure that never had them")
    func clearedFactsAreNoFacts() {
        let original = Self.figure()
        var figure = original
        figure.question = "Which payroll?"
        figure.decidedOn = CalendarDate("2026-08-01")
        #expect(figure != original)
        figure.question = nil
        figure.decidedOn = nil
        #expect(figure == original)
        let withFiles = ContractProjection.DeliveredFigure(
            quarter: original.quarter, measure: original.measure, quantity: original.quantity, evidence: original.evidence, pledged: true,
            source: original.source, corrected: false,
            evidenceFiles: [EvidenceFile(sha256: String(repeating: "b", count: 64), size: 1, mediaType: "text/plain", name: "a.txt")])
        #expect(withFiles != original && withFiles.evidenceFiles.count == 1)
    }
}
