import EventStore
import LedgerValues
import Foundation
import SyntheticData
import Testing
import TestSupport

/// A writer killed with SIGKILL at random moments must lose no acknowledged event and leave
/// no partial one (assume the process will die at any moment, and test that it may).
@Suite("Crash safety")
struct CrashSafetyTests {
    @Test("24 SIGKILLs of a writer: every acknowledged event survives, nothing partial appears",
          arguments: [1, 40])
    func killedWriter(batch: Int) throws {
        let directory = TemporaryDirectory("svledger-crash")
        let ledger = directory.child("ledger")
        do { _ = try EventStore(path: ledger, mode: .create) }
        var generator = SyntheticPortfolio.Random(seed: TestSeed.seed(for: "killedWriter(batch: \(batch))"))
        var acknowledged: UInt64 = 0
        for round in 0..<24 {
            let outputPath = directory.child("out-\(round)")
            _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandRunner.svledgerPath)
            process.arguments = ["append-loop", "--ledger", ledger, "--batch", String(batch), "--stream", "stream-\(round % 3)"]
            process.standardOutput = FileHandle(forWritingAtPath: outputPath)
            process.standardError = FileHandle.nullDevice
            try process.run()
            // The first round waits for the writer's first acknowledgement (its own precondition:
            // on a busy machine 150 ms may pass before a process has appended anything); the
            // others kill at random moments, start-up included.
            if round == 0 {
                let patience = Date().addingTimeInterval(60)
                while Date() < patience, !((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "").contains("\n") { usleep(5_000) }
            }
            usleep(UInt32.random(in: 2_000...150_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)

            // Only whole lines count: the last one may have been cut by the kill.
            let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            let reported = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                .compactMap { $0.split(separator: " ").last.flatMap { UInt64($0) } }
            acknowledged = max(acknowledged, reported.max() ?? 0)

            let store = try EventStore(path: ledger, mode: .readOnly)
            let report = try store.verify()
            #expect(report.head.position >= acknowledged, "round \(round): acknowledged \(acknowledged), head \(report.head.position)")
            #expect(report.head.position % UInt64(batch) == 0, "round \(round): a batch of \(batch) was split")
            for position in reported { #expect(try store.read { try $0.event(at: position) } != nil) }
        }
        #expect(acknowledged > 0, "the writer never got an append acknowledged")
    }
}
