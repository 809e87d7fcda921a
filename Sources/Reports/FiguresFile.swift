import Crypto
import LedgerValues
import Projections
import SocialValue
import Transparency

/// The figures of a reconciliation as the canonical file of Schemas/README.md §10
/// (`svledger-figures/4`), and its SHA-256: what every read and report that shows value
/// states, so that anyone can recompute the figures from the log alone and compare.
public struct FiguresFile: Sendable {
    public static let format = "svledger-figures/4"

    /// The file's bytes, UTF-8, lines ending in LF.
    public let text: String
    /// `sha256:` and the 64 lowercase hex digits of the file's SHA-256. Worked out once: a
    /// server states it in every read of figures, from one file shared between requests.
    public let digest: String
    public let period: FinancialQuarter
    public let reportingDate: CalendarDate

    /// The whole portfolio's figures: they state the head they were read at and the Merkle
    /// tree's root there, which is what a checkpoint of that size signs (§11), so that the
    /// figures and the council's published checkpoint can be matched without the ledger.
    public init(_ r: Reconciliation) {
        guard let root = r.treeRoot else {
            preconditionFailure("the portfolio's figures need the tree root at the head: a snapshot of one contract has none")
        }
        self.init(r, scope: ["head,\(r.position),\(r.hash.hex)", "tree,\(root.base64)"])
    }

    /// The figures of one supplier's contracts (`r` reconciled for that supplier alone), as a
    /// server gives them to the supplier: in place of the ledger's head, which moves with
    /// everyone's activity, the supplier and the version of each of its contracts' streams
    /// (Schemas/README.md §10, "A supplier's figures").
    /// - Parameter versions: each contract reference with its stream's version in the view.
    public init(_ r: Reconciliation, supplier: String, versions: [String: UInt64]) {
        let references = r.contracts.map(\.reference).sorted(by: Self.byBytes)
        self.init(r, scope: [Self.field("supplier") + "," + Self.field(supplier)] + references.map { "stream,\(Self.field("contract/" + $0)),\(versions[$0] ?? 0)" })
        self.supplier = supplier
    }

    /// The figures of one contract alone (`r` reconciled from a snapshot of that contract), as
    /// a read of one contract states them: in place of the ledger's head, the contract and its
    /// stream's version (Schemas/README.md §10, "A contract's figures"). So a read of one
    /// contract folds its own stream, not the whole log, and its digest moves only when it does.
    public init(_ r: Reconciliation, contract: String, version: UInt64) {
        self.init(r, scope: [Self.field("contract") + "," + Self.field(contract) + ",\(version)"])
        self.contract = contract
    }

    /// The contract a contract's figures are of; `nil` for the portfolio's or a supplier's.
    public private(set) var contract: String?
    /// The supplier a supplier's figures are of; `nil` for any other.
    public private(set) var supplier: String?

    private init(_ r: Reconciliation, scope: [String]) {
        period = r.period
        reportingDate = r.reportingDate
        // Written as UTF-8 bytes, made a string once: appending each cell to a `String` cost
        // more than all the rest of the file.
        var bytes = Array(([Self.format] + scope + [
            "period,\(r.period),\(r.reportingDate)",
            "level,key,measure,original,current,delivered,validated,capped,expected,variance,rating,deliveredQuantity,validatedQuantity,expectedQuantity",
        ]).map { $0 + "\n" }.joined().utf8)
        // In order of their references, each contract and line read in place by index (sorting
        // the contracts, or a contract's lines, moved every one of them).
        let contracts = r.contracts
        let order = contracts.indices.sorted { Self.byBytes(contracts[$0].reference, contracts[$1].reference) }
        // Each contract's rows are written on their own (on every core: a portfolio has
        // hundreds of thousands of rows), its lines' rows together, then joined in order.
        let rows = ConcurrentMap.map(order.count) { place in
            let index = order[place]
            let lines = contracts[index].lines
            var measures: [UInt8] = []
            measures.reserveCapacity(lines.count * 160)
            for line in lines.indices.sorted(by: { Self.byBytes(lines[$0].measure, lines[$1].measure) }) {
                Self.row(
                    "measure", contracts[index].reference, lines[line].measure, lines[line].amounts, rating: lines[line].rating,
                    quantities: (lines[line].deliveredQuantity, lines[line].validatedQuantity, lines[line].expectedQuantity), into: &measures)
            }
            var contract: [UInt8] = []
            Self.row("contract", contracts[index].reference, "", contracts[index].amounts, into: &contract)
            return (measures: measures, contract: contract)
        }
        bytes.reserveCapacity(bytes.count + rows.reduce(0) { $0 + $1.measures.count + $1.contract.count } + 64 * 1024)
        for contract in rows { bytes += contract.measures }
        for contract in rows { bytes += contract.contract }
        for (level, rollups) in [("theme", r.byTheme), ("priority", r.byPriority), ("supplier", r.bySupplier)] {
            for rollup in rollups.sorted(by: { Self.byBytes($0.key, $1.key) }) { Self.row(level, rollup.key, "", rollup.amounts, into: &bytes) }
        }
        Self.row("portfolio", "portfolio", "", r.portfolio.amounts, into: &bytes)
        digest = "sha256:" + Bytes.hex(Array(SHA256.hash(data: bytes)))
        // Every byte came from a string or a number's digits: valid UTF-8, read as it is.
        text = String(decoding: bytes, as: UTF8.self)
    }

    /// How a read's text output states its figures, after the head.
    public var footer: String { "figures \(digest) (\(Self.format), \(period) at \(reportingDate))" }

    /// The read documents' `figures` member (Schemas/read/common.schema.json#/$defs/figures).
    public func json(effectiveOn: CalendarDate?) -> JSONValue {
        var members: JSONObject = [
            "format": .string(Self.format), "digest": .string(digest), "period": .string(period.description),
            "reportingDate": .string(reportingDate.description), "effectiveOn": effectiveOn.map { .string($0.description) } ?? .null,
        ]
        if let contract { members["contract"] = .string(contract) }
        if let supplier { members["supplier"] = .string(supplier) }
        return .object(members)
    }

    private static func byBytes(_ a: String, _ b: String) -> Bool { JSONObject.precedes(a, b) }

    /// Appends one row, and its line feed, to `bytes`.
    private static func row(
        _ level: String, _ key: String, _ measure: String, _ a: Amounts, rating: PerformanceRating? = nil,
        quantities: (delivered: ExactDecimal, validated: ExactDecimal, expected: ExactDecimal)? = nil, into bytes: inout [UInt8]
    ) {
        // Written straight into the bytes: a portfolio has hundreds of thousands of rows, and a
        // string for each cell, then joined, was most of their cost. Numbers and ratings need no
        // quotes: pounds with exactly two decimals, quantities with no trailing zeros (no point
        // when whole).
        bytes += field(level).utf8
        bytes.append(UInt8(ascii: ","))
        bytes += field(key).utf8
        bytes.append(UInt8(ascii: ","))
        bytes += field(measure).utf8
        func pounds(_ money: Money) {
            bytes.append(UInt8(ascii: ","))
            money.decimal.write(to: &bytes)
        }
        pounds(a.original)
        pounds(a.current)
        pounds(a.delivered)
        pounds(a.validated)
        pounds(a.capped)
        pounds(a.expected)
        pounds(a.variance)
        bytes.append(UInt8(ascii: ","))
        bytes += (rating ?? a.rating).rawValue.utf8
        func quantity(_ value: ExactDecimal?) {
            bytes.append(UInt8(ascii: ","))
            value?.normalized.write(to: &bytes)
        }
        quantity(quantities?.delivered)
        quantity(quantities?.validated)
        quantity(quantities?.expected)
        bytes.append(UInt8(ascii: "\n"))
    }

    private static let quoted = ASCIISet(",\"\r\n")

    /// Quoted only when it holds a comma, a double quote, CR or LF (RFC 4180).
    static func field(_ text: String) -> String {
        guard quoted.containsAny(of: text) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
