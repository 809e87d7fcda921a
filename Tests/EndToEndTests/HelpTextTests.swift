import Foundation
import LedgerValues
import Testing
import TestSupport

/// Help is printed as written, each line of a command's discussion broken again only where it
/// is longer than the terminal: in the common 80 columns (and in a pipe, which counts as 80),
/// a line written a few columns too long ends with one word alone on the next line, and an
/// example's `\` continuation lands on a line of its own.
@Suite("Help text")
struct HelpTextTests {
    /// The longest line that prints whole in 80 columns: the argument parser breaks a line of 80.
    static let widest = 79

    @Test("every command's discussion fits in 80 columns, so no sentence or example is broken in two; only a paragraph of one line may be longer")
    func discussionsFit() throws {
        let dump = try CommandRunner.svledger(["--experimental-dump-help"])
        let root = try #require(try JSONValue(parsing: dump.stdout)["command"])
        var commands = 0
        var long: [String] = []
        func walk(_ command: JSONValue, path: String) {
            commands += 1
            // A longer line is broken by the parser at word boundaries, which reads well only when
            // it is a paragraph of its own (a list worked out when the help is printed).
            let lines = (command["discussion"]?.stringValue ?? "").split(separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() where line.count > Self.widest {
                let alone = !line.hasPrefix(" ") && (index == 0 || lines[index - 1].isEmpty) && (index == lines.count - 1 || lines[index + 1].isEmpty)
                if !alone { long.append("\(path): \(line.count) columns: \(line)") }
            }
            for sub in command["subcommands"]?.arrayValue ?? [] {
                walk(sub, path: path + " " + (sub["commandName"]?.stringValue ?? "?"))
            }
        }
        walk(root, path: "svledger")
        #expect(commands > 90, "the walk should reach every command, not \(commands)")
        #expect(long.isEmpty, "\(long.count) lines too long:\n\(long.joined(separator: "\n"))")
    }

    @Test("at 80 columns a line of 79 prints whole and, at 79, does not: the limit above is the parser's")
    func limitIsTheParsers() throws {
        // `council describe`'s examples hold a line of exactly 79 columns.
        let dump = try CommandRunner.svledger(["council", "describe", "--experimental-dump-help"]).stdout
        let discussion = try #require(try JSONValue(parsing: dump)["command"]?["discussion"]?.stringValue)
        let lines = discussion.split(separator: "\n").map(String.init)
        let widest = try #require(lines.first { $0.count == Self.widest }, "no line of exactly \(Self.widest) columns to show the limit with")
        func printed(columns: Int) throws -> [String] {
            try CommandRunner.svledger(["council", "describe", "--help"], environment: ["COLUMNS": String(columns)]).stdout
                .split(separator: "\n").map(String.init)
        }
        let at80 = try printed(columns: 80)
        for line in lines { #expect(at80.contains(line), "at 80 columns, \(line) is broken") }
        #expect(try !printed(columns: 79).contains(widest), "at 79 columns a line of 79 should be broken")
    }
}
