import ArgumentParser
import EventStore
import LedgerValues
import Reports

extension Root {
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract: "Show the ledger's size: events, streams, head and file size.")

        @OptionGroup var options: LedgerOptions

        @Option(help: "text or json.")
        var format: OutputFormat = .text

        func run() throws {
            let store = try options.open(.readOnly)
            let (events, streams, head) = try store.read { reader in
                (try reader.eventCount(), try reader.streamCount(), try reader.head())
            }
            let fileSize = store.fileSize
            switch format {
            case .text:
                Terminal.print("ledger     \(store.environment.path)")
                Terminal.print("events     \(events)")
                Terminal.print("streams    \(streams)")
                Terminal.print("head       \(head.position) \(head.hash.hex)")
                Terminal.print("file size  \(fileSize) bytes (\(String(format: "%.1f", Double(fileSize) / 1_048_576)) MiB)")
            case .json:
                let json = StatsDocument.json(
                    ledger: store.environment.path, events: UInt64(events), streams: UInt64(streams),
                    head: head, fileSizeBytes: Int64(fileSize))
                print(json.canonicalText)
            }
        }
    }
}
