import Foundation
import Testing
import TestSupport

/// The README's worked example ("Using the CLI: one contract's social value life"), run word
/// for word by a shell, as a new user following it would: every command must succeed today.
@Suite("The README's worked example")
struct ReadmeExampleTests {
    let directory = TemporaryDirectory("svledger-readme")

    /// The commands of the first `sh` block under the heading, continuation lines joined, with
    /// the build line left out (the tests run the svledger already built).
    static func workedExample() throws -> [String] {
        let readme = try String(contentsOfFile: CommandRunner.repositoryRoot + "/README.md", encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Using the CLI: one contract's social value life").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first)
        var commands: [String] = [], pending = ""
        for line in block.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if pending.isEmpty, line.hasPrefix("#") || line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if line.hasSuffix("\\") {
                pending += line.dropLast() + " "
            } else {
                commands.append(pending + line)
                pending = ""
            }
        }
        return commands.filter { !$0.hasPrefix("swift build") }
    }

    @Test("every command of the worked example succeeds, in a fresh directory, today")
    func runsWordForWord() throws {
        let commands = try Self.workedExample()
        #expect(commands.count >= 15, "\(commands)")
        #expect(commands.contains { $0.hasPrefix("svledger delivery correct") })
        let binary = URL(fileURLWithPath: CommandRunner.svledgerPath).deletingLastPathComponent().path
        let script = (["set -e", "cd '\(directory.path)'", "export PATH='\(binary)':\"$PATH\""] + commands).joined(separator: "\n")
        let result = try CommandRunner.run("/bin/bash", ["-c", script])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(result.stdout.contains("verified 12 events in 3 streams"), "\(result.stdout)")
        #expect(result.stdout.contains("closed on"), "the closure was recorded")
        #expect(result.stdout.contains("EVENT ID"), "the log table shows event ids")

        // The dates were given where they matter; only the closure took the recording day.
        let show = try CommandRunner.svledger(["show", "LCC-2025-014", "--ledger", directory.child("my-ledger")])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("effective date not given; recorded day used: closure ("), "\(show.stdout)")
        #expect(show.stdout.contains("early termination: Terminated early"), "\(show.stdout)")
    }
}
