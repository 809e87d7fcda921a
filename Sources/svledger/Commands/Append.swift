import ArgumentParser
import EventStore
import LedgerValues
import Foundation
import Ledger
import SocialValue
import SyntheticData

extension Root {
    struct Append: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "append",
            abstract: "Append raw events to a non-domain stream (low level: no domain rules apply).",
            discussion: """
                One event from flags:
                  svledger append --stream contract-LCC-001 --type NoteRecorded \\
                      --actor jane.doe --role "Contract Manager" --reason "kick-off" \\
                      --payload '{"text": "Kick-off meeting held"}'

                Or many from an NDJSON file, all in one transaction (all recorded, or none):
                  svledger append --file events.ndjson

                Each line: {"streamId", "eventType", "effectiveDate", "actor": {"id", "role"},
                "payload", and optionally "reason", "eventId", "expectedVersion",
                "schemaVersion", "correlationId", "causationId"}. Decimal values go in strings
                ("0.25"), never as JSON numbers. Re-running with the same event ids writes
                nothing and reports the original positions.
                """)

        @OptionGroup var options: LedgerOptions

        @Option(help: "NDJSON file of events to append in one transaction.")
        var file: String?

        @Option(help: "The stream (one per contract).")
        var stream: String?

        @Option(name: .customLong("type"), help: "The event type, e.g. ContractRegistered.")
        var eventType: String?

        @Option(help: "Who is acting.")
        var actor: String?

        @Option(help: "The actor's role.")
        var role: String?

        @Option(help: "Why.")
        var reason: String?

        @Option(help: ArgumentHelp("The date it takes effect (default: today).", valueName: "YYYY-MM-DD"))
        var effectiveDate: String?

        @Option(help: "The payload, a JSON object.")
        var payload: String = "{}"

        @Option(help: "A UUID for the event, so that a retry is recognised (default: a new UUIDv7).")
        var eventId: String?

        @Option(help: ArgumentHelp("any, no-stream, or the stream's current version.", valueName: "version"))
        var expectedVersion: String = "any"

        func validate() throws {
            if file != nil {
                if stream != nil || eventType != nil { throw ValidationError("give either --file or --stream/--type, not both") }
                return
            }
            guard stream != nil, eventType != nil else { throw ValidationError("give --stream and --type, or --file") }
            guard actor != nil, role != nil else { throw ValidationError("give --actor and --role: every event records who acted") }
            if let eventId, EventID(eventId) == nil { throw ValidationError("--event-id must be a UUID, got \(DisplayText.quoted(eventId))") }
            if ExpectedVersion(expectedVersion) == nil {
                throw ValidationError("--expected-version must be any, no-stream or a version ≥ 1, got \(DisplayText.quoted(expectedVersion))")
            }
        }

        func run() throws {
            let today = Timestamp.now().date
            let appends: [StreamAppend]
            if let file {
                appends = try EventInput.streamAppends(fromFile: file, today: today)
            } else {
                let payloadJSON: JSONValue
                do { payloadJSON = try JSONValue(parsing: payload) } catch { throw error.inContext("--payload") }
                try EventInput.checkLimits(actor: ActorIdentity(id: actor!, role: role!), reason: reason, fields: ("--actor", "--role", "--reason"))
                let event = ProposedEvent(
                    eventId: eventId.flatMap(EventID.init) ?? .generate(), eventType: eventType!,
                    effectiveDate: try DateOption.day(effectiveDate, flag: "--effective-date") ?? today,
                    actor: ActorIdentity(id: actor!, role: role!), reason: reason, payload: payloadJSON)
                appends = [StreamAppend(streamId: stream!, expectedVersion: ExpectedVersion(expectedVersion)!, events: [event])]
            }
            // Domain streams are written only through decide, so that no rule can be bypassed.
            let guarded = [ContractEvent.streamPrefix] + ReferenceData.streamPrefixes
            if let append = appends.first(where: { append in guarded.contains { append.streamId.hasPrefix($0) } }) {
                throw CLIError(.refused, "domain-stream", "stream \(DisplayText.quoted(append.streamId)) belongs to the social value domain; use the domain commands (svledger contract …, pledge …, apply) to write to it")
            }
            let result: Ledger.Outcome
            do {
                result = try options.openLedger().append(appends)
            } catch EventStoreError.invalidStreamId(let stream, let reason) {
                throw CLIError(.input, "invalid-stream-id", "invalid stream id \(DisplayText.quoted(stream)): \(reason)")
            }
            let range = result.positions.count == 1
                ? "position \(result.positions[0])" : "positions \(result.positions.first!)–\(result.positions.last!)"
            if result.wasAlreadyRecorded {
                Terminal.print("already recorded at \(range); nothing written")
            } else {
                Terminal.print("appended \(result.positions.count) event\(result.positions.count == 1 ? "" : "s") at \(range)")
            }
            Terminal.print(result.head)
        }
    }

    /// Fills a ledger with a synthetic portfolio, for measuring rebuild, verify and reports.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate", abstract: "Test aid: append a synthetic portfolio of about N events.",
            shouldDisplay: false)
        @OptionGroup var options: LedgerOptions
        @Option var events = 10_000
        @Option var seed: UInt64 = 2025

        func run() throws {
            let ledger = try options.openLedger()
            var reported = 0
            let written = try SyntheticPortfolio.populate(ledger, events: events, seed: seed) { count in
                if count - reported >= 20_000 { Terminal.progress("generated \(count) events…"); reported = count }
            }
            Terminal.print("generated \(written) events")
            Terminal.print(try ledger.store.head())
        }
    }

    /// Appends one event per synced commit forever (or `--count` times), printing each position once its append
    /// has returned. The crash-safety test kills it with SIGKILL and checks every printed
    /// position survived.
    struct AppendLoop: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "append-loop", abstract: "Test aid: append in a loop until killed.",
            shouldDisplay: false)

        @OptionGroup var options: LedgerOptions

        @Option var stream = "crash-test"

        @Option(help: "Events per transaction.")
        var batch = 1

        @Option(help: "Stop after this many transactions (default: never).")
        var count: Int?

        func run() throws {
            let ledger = try options.openLedger()
            let actor = ActorIdentity(id: "crash-test", role: "Tester")
            var done = 0
            while count.map({ done < $0 }) ?? true {
                done += 1
                let events = (0..<max(batch, 1)).map { index in
                    ProposedEvent(
                        eventType: "LoopTick", effectiveDate: Timestamp.now().date, actor: actor,
                        payload: ["index": .integer(Int64(index)), "padding": .string(String(repeating: "x", count: 200))])
                }
                let result = try ledger.append([StreamAppend(streamId: stream, events: events)])
                try StandardOutput.writeNow("appended \(result.recorded.last!.position)")
            }
        }
    }
}
