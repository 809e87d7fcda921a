/// The OCDS extensions the export's fields come from, by the canonical URL of each one's
/// extension.json (as the UK's Find a Tender service declares them). Listed in every package,
/// so that a reader can build the schema the export validates against.
public enum OCDSExtensions {
    public static let used: [(name: String, fields: String, url: String)] = [
        ("Lots", "tender.lots[]", openContracting("ocds_lots_extension")),
        ("Award criteria", "tender.lots[].awardCriteria", openContracting("ocds_awardCriteria_extension")),
        ("Location", "tender.deliveryAddresses[]", openContracting("ocds_location_extension")),
        ("Metrics", "contracts[].implementation.metrics[]", openContracting("ocds_metrics_extension")),
        ("Sustainability", "tender.sustainability[], tender.hasSustainability", openContracting("ocds_sustainability_extension")),
        ("United Kingdom", "contracts[].terminationRationaleClassifications[]",
         "https://raw.githubusercontent.com/cabinetoffice/ocds_uk_extension/main/extension.json"),
    ] + completing

    /// Declared for the schema they complete, not for fields the export writes: the lots
    /// extension refers to the submissionTerms extension's `SubmissionTerms` definition, and the
    /// UK extension lists the others as its dependencies (at the versions it names). A validator
    /// that builds the schema from the package's list (libcoveocds) cannot resolve it without
    /// them, and then reports every field as additional.
    static let completing: [(name: String, fields: String, url: String)] = [
        ("Submission terms", "(the SubmissionTerms definition of the lots extension)", openContracting("ocds_submissionTerms_extension")),
        ("Bid statistics and details", "(a dependency of the United Kingdom extension)", openContracting("ocds_bid_extension", branch: "v1.1.5")),
        ("Communication", "(a dependency of the United Kingdom extension)", openContracting("ocds_communication_extension")),
        ("Other requirements", "(a dependency of the United Kingdom extension)", openContracting("ocds_otherRequirements_extension")),
        ("Performance failures", "(a dependency of the United Kingdom extension)", openContracting("ocds_performance_failures_extension")),
        ("Subcontracting", "(a dependency of the United Kingdom extension)", openContracting("ocds_subcontracting_extension")),
        ("Suitability", "(a dependency of the United Kingdom extension)", openContracting("ocds_suitability_extension")),
        ("Techniques", "(a dependency of the United Kingdom extension)", openContracting("ocds_techniques_extension")),
    ]

    public static var urls: [String] { used.map(\.url) }

    private static func openContracting(_ repository: String, branch: String = "master") -> String {
        "https://raw.githubusercontent.com/open-contracting-extensions/\(repository)/\(branch)/extension.json"
    }
}
