import ArgumentParser

extension Root {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Governance reports.", subcommands: [])
    }
}
