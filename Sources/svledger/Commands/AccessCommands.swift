import Access
import ArgumentParser
import Credentials
import LedgerValues
import Queries
import Ledger

extension Root {
    /// Accounts, roles and tokens, kept as events in the ledger's `access` stream.
    struct AccessGroup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "access",
            abstract: "Who may act on the ledger: roles granted to accounts, and their tokens.",
            discussion: """
                Every grant, revocation and token is an event in the ledger's `access` stream,
                with the administrator who made it, so an auditor can answer "who held this
                right on that day, and who granted it" (svledger access list --as-of DATE).

                The first administrator is made here, by whoever can write the ledger's file:
                  svledger access grant ada --role administrator --actor installer \\
                      --reason "set-up"
                After that, only an administrator manages access:
                  svledger access grant sam --role supplier --supplier "North Roads Ltd" \\
                      --actor ada
                  svledger access token issue sam --role supplier --expires 2027-03-31 \\
                      --actor ada
                  svledger access token revoke tok-1a2b3c4d5e6f --actor ada
                  svledger access revoke sam --role supplier --actor ada

                People sign in to the web app (svledger serve, /app/) with a password they
                choose through a one-time link:
                  svledger access invite sam --actor ada --url https://svledger.example.gov.uk

                Roles: \(Role.allCases.map(\.token).joined(separator: ", ")).

                A token is 256 random bits, shown once; the ledger keeps only its SHA-256.
                """,
            subcommands: [Grant.self, Revoke.self, Invite.self, Token.self, List.self])

        /// `--actor` and `--reason`: the administrator acting, and why.
        struct Administrator: ParsableArguments {
            @Option(help: "The administrator's account (for the first grant, who is setting up).") var actor: String
            @Option(help: "Why: recorded in the event and shown in the audit trail.") var reason: String?
        }

        static func role(_ text: String) throws -> Role {
            guard let role = Role(named: text) else {
                throw ValidationError("--role must be one of \(Role.allCases.map(\.token).joined(separator: ", ")), got \(DisplayText.quoted(text))")
            }
            return role
        }

        /// Runs an access command, recording the acting account with its administrator role
        /// (the first grant, before there is one, as the installer).
        static func execute(_ command: AccessCommand, _ administrator: Administrator, ledger options: LedgerOptions) throws -> (AccessEvent, Ledger.Outcome) {
            let ledger = try options.openLedger()
            let state = try ledger.accessState()
            let role = state.grant(of: administrator.actor, .administrator) == nil ? "Installer" : Role.administrator.rawValue
            return try ledger.executeAccess(
                command, actor: ActorIdentity(id: administrator.actor, role: role), reason: administrator.reason, today: Timestamp.now().date)
        }

        struct Grant: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "grant", abstract: "Grant a role to an account.")
            @OptionGroup var ledger: LedgerOptions
            @Argument(help: "The account (1 to 64 letters, digits, '.', '_', '-', '@').") var account: String
            @Option(help: "The role to grant.") var role: String
            @Option(help: "For a supplier: the organisation it acts for, as contracts name their supplier.") var supplier: String?
            @OptionGroup var administrator: Administrator

            func run() throws {
                let (_, outcome) = try AccessGroup.execute(
                    .grant(account: account, role: try AccessGroup.role(role), supplier: supplier), administrator, ledger: ledger)
                Terminal.print("granted \(try AccessGroup.role(role).rawValue) to \(account)\(supplier.map { " for \($0)" } ?? "") at position \(outcome.head.position)")
                Terminal.print(outcome.head)
            }
        }

        struct Revoke: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a role from an account; its tokens for that role stop working.")
            @OptionGroup var ledger: LedgerOptions
            @Argument(help: "The account.") var account: String
            @Option(help: "The role to revoke.") var role: String
            @OptionGroup var administrator: Administrator

            func run() throws {
                let (_, outcome) = try AccessGroup.execute(.revoke(account: account, role: try AccessGroup.role(role)), administrator, ledger: ledger)
                Terminal.print("revoked \(try AccessGroup.role(role).rawValue) from \(account) at position \(outcome.head.position)")
                Terminal.print(outcome.head)
            }
        }

        struct Invite: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "invite",
                abstract: "Send an account a one-time link to choose its password for the web app; it is shown once.",
                discussion: """
                    The account must hold a role (svledger access grant). The link works once,
                    until the end of the last day (UTC); inviting again replaces an open link. The
                    ledger records that the account was invited, by whom and until when; the link's
                    secret is kept, hashed, only with the sign-in credentials (the ledger's folder,
                    credentials/).
                    """)
            @OptionGroup var ledger: LedgerOptions
            @Argument(help: "The account.") var account: String
            @Option(help: ArgumentHelp("Days the link works for, 1 to 30.", valueName: "days")) var days = Invitations.defaultDays
            @Option(help: ArgumentHelp("Where people reach the server (as they type it in a browser).", valueName: "url"))
            var url = "http://127.0.0.1:8080"
            @OptionGroup var administrator: Administrator

            func validate() throws {
                guard Invitations.days.contains(days) else { throw ValidationError("--days must be 1 to 30, got \(days)") }
                guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                    throw ValidationError("--url must start with http:// or https://, got \(DisplayText.quoted(url))")
                }
            }

            func run() throws {
                let now = Timestamp.now()
                let lastDay = Invitations.lastDay(days: days, today: now.date)
                let (_, outcome) = try AccessGroup.execute(.invite(account: account, expiresOn: lastDay), administrator, ledger: ledger)
                let credentials = try CredentialStore(ledgerPath: ledger.path)
                let secret = try credentials.invite(account: account, expiresAt: Timestamp.endOf(lastDay))
                Terminal.print("invited \(account) until the end of \(lastDay), recorded at position \(outcome.head.position)")
                Terminal.print("send this link to \(account) yourself; it is shown only now and works once:")
                Terminal.print((url.hasSuffix("/") ? String(url.dropLast()) : url) + Invitations.path(secret))
            }
        }

        struct Token: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "token", abstract: "Issue or revoke a bearer token.", subcommands: [Issue.self, RevokeToken.self])

            struct Issue: ParsableCommand {
                static let configuration = CommandConfiguration(
                    commandName: "issue", abstract: "Issue a token for an account acting in one of its roles; it is shown once.")
                @OptionGroup var ledger: LedgerOptions
                @Argument(help: "The account.") var account: String
                @Option(help: "The role the token acts in (the account must hold it).") var role: String
                @Option(help: ArgumentHelp("The last day the token works (default: until revoked).", valueName: "YYYY-MM-DD")) var expires: String?
                @OptionGroup var administrator: Administrator

                func validate() throws {
                    if let expires, CalendarDate(expires) == nil { throw ValidationError("--expires must be a date YYYY-MM-DD, got \(DisplayText.quoted(expires))") }
                }

                func run() throws {
                    let (token, tokenId) = AccessToken.generate()
                    let command = AccessCommand.issueToken(
                        tokenId: tokenId, account: account, role: try AccessGroup.role(role), sha256: AccessToken.sha256(token),
                        expiresOn: expires.flatMap(CalendarDate.init))
                    let (_, outcome) = try AccessGroup.execute(command, administrator, ledger: ledger)
                    Terminal.print("token \(tokenId) for \(account) as \(try AccessGroup.role(role).rawValue)\(expires.map { ", until \($0)" } ?? ""), recorded at position \(outcome.head.position)")
                    Terminal.print("it is shown only now; the ledger keeps its SHA-256:")
                    Terminal.print(token)
                }
            }

            struct RevokeToken: ParsableCommand {
                static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token by its id.")
                @OptionGroup var ledger: LedgerOptions
                @Argument(help: "The token's id (tok-…), as `svledger access list` shows it.") var tokenId: String
                @OptionGroup var administrator: Administrator

                func run() throws {
                    let (_, outcome) = try AccessGroup.execute(.revokeToken(tokenId: tokenId), administrator, ledger: ledger)
                    Terminal.print("revoked token \(tokenId) at position \(outcome.head.position)")
                }
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "Who holds which role, granted by whom and when, and the tokens.")
            @OptionGroup var ledger: LedgerOptions
            @OptionGroup var asOf: AsOfOptions
            @Option(help: "text or json.") var format: OutputFormat = .text

            func run() throws {
                let opened = try ledger.openLedger(.readOnly)
                let position = try asOf.position(in: opened)
                let state = try opened.accessState(through: position)
                let head = try opened.store.read { try LedgerHead.at(position, in: $0) }
                let grants = AccessListing.grants(state)
                let tokens = AccessListing.tokens(state)
                let today = Timestamp.now().date
                switch format {
                case .json:
                    print(AccessListing.json(state, head: head, today: today).canonicalText)
                case .text:
                    TableOutput.text(
                        ["ROLE", "ACCOUNT", "SUPPLIER", "GRANTED BY", "GRANTED AT"],
                        grants.map { [$0.role.rawValue, $0.account, $0.supplier ?? "", $0.grantedBy, $0.grantedAt.description] }, maxWidth: 40)
                    if !tokens.isEmpty {
                        Terminal.print("")
                        TableOutput.text(
                            ["TOKEN", "ACCOUNT", "ROLE", "EXPIRES", "STATE"],
                            tokens.map { [$0.tokenId, $0.account, $0.role.rawValue, $0.expiresOn?.description ?? "never", $0.status(on: today).rawValue] },
                            maxWidth: 40)
                    }
                    Terminal.print(headFooter(head))
                }
            }
        }
    }
}
