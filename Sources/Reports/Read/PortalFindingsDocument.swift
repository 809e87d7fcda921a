import LedgerValues

/// `svledger import portal --format json` (Schemas/read/import-portal.schema.json): what the
/// pledge table says, what svledger computes from it, and the findings between the two.
/// The table's own text (answer, proxy and stated value as printed, "£30,782" and all) is
/// kept apart, under `…AsPrinted`, from the values svledger read from it.
public enum PortalFindingsDocument {
    public static func json(_ plan: PortalImport, file: String, head: LedgerHead) -> JSONValue {
        [
            "head": head.json, "currency": ReadJSON.currency, "file": .string(file), "catalog": .string(plan.catalog.reference),
            "lines": .array(plan.lines.map { line in
                [
                    "line": ReadJSON.integer(line.row.line), "measure": .string(line.row.reference),
                    "answerAsPrinted": .string(line.row.answer), "proxyAsPrinted": .string(line.row.proxy), "statedAsPrinted": .string(line.row.stated),
                    "quantity": ReadJSON.decimal(line.quantity), "stated": ReadJSON.money(line.stated), "computed": ReadJSON.money(line.computed),
                ]
            }),
            "findings": .array(plan.findings.map { f in
                ["line": f.line.map { ReadJSON.integer($0) } ?? .null, "measure": ReadJSON.string(f.measure), "kind": .string(f.kind.rawValue), "message": .string(f.message)]
            }),
            "computedTotal": ReadJSON.money(plan.computedTotal), "statedLinesTotal": ReadJSON.money(plan.statedLinesTotal),
            "printedTotal": ReadJSON.money(plan.table.statedTotal),
        ]
    }
}
