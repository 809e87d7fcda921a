import Foundation

/// A worksheet as rows of cells, each cell's text as the file holds it: a number exactly as
/// written (never through a `Double`), a date as YYYY-MM-DD, a formula's cached value.
public struct Sheet: Sendable, Equatable {
    public struct Cell: Sendable, Equatable {
        public enum Kind: Sendable, Equatable { case text, number, boolean, date, error }
        public let text: String
        public let kind: Kind
        /// The cell holds a formula: `text` is the value the spreadsheet program last worked
        /// out and saved with it (svledger never evaluates formulas).
        public let fromFormula: Bool

        public init(text: String, kind: Kind = .text, fromFormula: Bool = false) {
            self.text = text
            self.kind = kind
            self.fromFormula = fromFormula
        }

        public static let empty = Cell(text: "")
    }

    /// Rows in order; within a row, cells by column (A is 0), empty cells as ``Cell/empty``.
    public let rows: [[Cell]]
    public init(rows: [[Cell]]) { self.rows = rows }
}

/// A spreadsheet that cannot be read, and why, in the reader's words.
public struct SpreadsheetError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What a spreadsheet may be: past these, it is refused before it is read whole.
public enum SpreadsheetLimits {
    /// The file itself.
    public static let fileBytes = 25 * 1024 * 1024
    /// Any one part of an XLSX, once inflated (a worksheet, the shared strings): 8 MiB, far
    /// more than a return of a few hundred rows, and small enough to parse in a second or two.
    public static let partBytes = 8 * 1024 * 1024
    /// Inflated against stored: a part that grows more than this is a zip bomb.
    public static let ratio: UInt64 = 200
    public static let rows = 20_000
    public static let columns = 64
}
