import LedgerValues

/// What an invitation is, wherever one is made (the CLI, the API, the administration page):
/// how long its link works, and where the link leads.
public enum Invitations {
    public static let defaultDays = 7
    public static let days = 1...30

    /// The last day a link made `today` works for `days` days; it stops at the end of it (UTC).
    public static func lastDay(days: Int, today: CalendarDate) -> CalendarDate { today.adding(days: days) }

    /// The link's path on the server (the web app's invitation page).
    public static func path(_ secret: String) -> String { "/app/invitations/" + secret }
}
