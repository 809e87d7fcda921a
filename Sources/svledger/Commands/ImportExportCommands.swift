import ArgumentParser

extension Root {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import pledge tables.", subcommands: [])
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export the log.", subcommands: [])
    }

    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Hot backup.")
    }
}
