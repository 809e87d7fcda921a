import ArgumentParser
import LedgerValues

/// The council's check of returns (docs/validation.md): an officer queries a figure, the
/// supplier answers, a Contract Manager validates or rejects it.
extension Root.Delivery {
    struct Query: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "query",
            abstract: "Ask the supplier about one delivered figure (an officer's question).",
            discussion: """
              svledger delivery query --contract LCC-2025-014 --quarter 2025-26-Q1 \\
                  --measure NT1 --question "Which payroll shows the three new starters?" \\
                  --actor j.smith --role "Contract Manager"

            A figure is a measure in a quarter, as the return (or its latest correction)
            states it. It is then "queried" until the supplier answers (`svledger delivery
            answer`), and it cannot be validated while the question is open. Asked by a
            Procurement Officer, Contract Manager or Head of Procurement, of a figure that
            is submitted or answered.
            """)
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var who: ActorOptions
        @Option var contract: String
        @Option(help: "The quarter of the figure, e.g. 2025-26-Q1.") var quarter: String
        @Option(help: "The measure of the figure, e.g. NT1.") var measure: String
        @Option(help: "The question for the supplier.") var question: String

        func run() throws {
            var fields = who.fields("delivery.query")
            fields.merge(["contract": .string(contract), "quarter": .string(quarter), "measure": .string(measure), "question": .string(question)]) { $1 }
            try DomainCommand.run(fields, ledger: ledger, flags: FlagNames(["quarter": "--quarter", "measure": "--measure", "question": "--question"]))
        }
    }

    struct Answer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "answer",
            abstract: "Answer an officer's question about a figure (the supplier's reply).",
            discussion: """
              svledger delivery answer --contract LCC-2025-014 --quarter 2025-26-Q1 \\
                  --measure NT1 --answer "Payroll extract attached" \\
                  --evidence-file NT1=payroll-q1.pdf --line NT1=3@HR-2025-Q1-009 ...

            The figure is then "answered", ready for a Contract Manager to validate or
            reject. An answer may put the figure right, or attach evidence, with one --line
            of the measure queried (the figure as it should stand) and its --evidence-file:
            that is recorded as a correction just before the answer (the answer says why).
            Given by the Supplier.
            """)
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var who: ActorOptions
        @Option var contract: String
        @Option(help: "The quarter of the figure, e.g. 2025-26-Q1.") var quarter: String
        @Option(help: "The measure of the figure, e.g. NT1.") var measure: String
        @Option(help: "The answer to the question.") var answer: String
        @Option(help: "MEASURE=QUANTITY@EVIDENCE: the figure as it should stand (at most one, of the measure queried).") var line: [String] = []
        @Option(help: ArgumentHelp("A file kept as the line's evidence (repeat; needs --line).", valueName: "measure=path")) var evidenceFile: [String] = []

        func run() throws {
            let files = try evidenceFile.map(EvidenceFileInput.read)
            let items = try EvidenceFileInput.attach(files, to: try LineInput.gather(flags: line, file: nil, evidence: true))
            var fields = who.fields("delivery.answer")
            fields.merge(["contract": .string(contract), "quarter": .string(quarter), "measure": .string(measure), "answer": .string(answer)]) { $1 }
            if !items.isEmpty { fields["lines"] = .array(items) }
            try DomainCommand.run(
                fields, ledger: ledger, flags: FlagNames(["quarter": "--quarter", "measure": "--measure", "answer": "--answer", "lines": "--line"]),
                evidence: files.map(\.bytes))
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Validate delivered figures of a quarter (a Contract Manager's check, with a reason).",
            discussion: """
              svledger delivery validate --contract LCC-2025-014 --quarter 2025-26-Q1 \\
                  --measure NT1 --reason "Payroll extract matches the three starters" \\
                  --actor j.smith --role "Contract Manager"

            Without --measure, every figure of the quarter that is submitted or answered is
            validated. A figure with an open question is answered first. A validated figure
            counts as validated delivery in `svledger reconcile` and the Cabinet report,
            and, when the contract's policy says "ratedDelivery": "validated", it is the
            delivery the ratings rate. A later correction of the figure submits it again,
            to be checked again.
            """)
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var who: ActorOptions
        @Option var contract: String
        @Option(help: "The quarter, e.g. 2025-26-Q1.") var quarter: String
        @Option(help: "A measure whose figure is validated (repeat; default: every figure of the quarter that can be).") var measure: [String] = []

        func run() throws { try decideValidation("delivery.validate", contract: contract, quarter: quarter, measures: measure, who: who, ledger: ledger) }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reject",
            abstract: "Reject delivered figures of a quarter (a Contract Manager's decision, with a reason).",
            discussion: """
              svledger delivery reject --contract LCC-2025-014 --quarter 2025-26-Q1 \\
                  --measure NT10 --reason "No evidence of the apprenticeship weeks" \\
                  --actor j.smith --role "Contract Manager"

            A rejected figure stays in the claimed delivery but never counts as validated.
            The supplier may correct it (`svledger delivery correct`), which submits it
            again.
            """)
        @OptionGroup var ledger: LedgerOptions
        @OptionGroup var who: ActorOptions
        @Option var contract: String
        @Option(help: "The quarter, e.g. 2025-26-Q1.") var quarter: String
        @Option(help: "A measure whose figure is rejected (repeat; default: every figure of the quarter that can be).") var measure: [String] = []

        func run() throws { try decideValidation("delivery.reject", contract: contract, quarter: quarter, measures: measure, who: who, ledger: ledger) }
    }
}

private func decideValidation(_ command: String, contract: String, quarter: String, measures: [String], who: ActorOptions, ledger: LedgerOptions) throws {
    var fields = who.fields(command)
    fields.merge(["contract": .string(contract), "quarter": .string(quarter)]) { $1 }
    if !measures.isEmpty { fields["measures"] = .array(measures.map { .string($0.trimmingCharacters(in: .whitespaces)) }) }
    try DomainCommand.run(fields, ledger: ledger, flags: FlagNames(["quarter": "--quarter", "measures": "--measure"]))
}
