/// The OCDS extensions the export's fields come from, by the canonical URL of each one's
/// extension.json (as the UK's Find a Tender service declares them). Listed in every package,
/// so that a reader can build the schema the export validates against.
public enum OCDSExtensions {
    public static let used: [(name: String, fields: String, url: String)] = [
        ("Lots", "tender.lots[]", openContracting("ocds_lots_extension")),
        ("Award criteria", "tender.lots[].awardCriteria", openContracting("ocds_awardCriteria_extension")),
        ("Location", "tender.deliveryAddresses[]", openContracting("ocds_location_extension")),
        ("Metrics", "contracts[].agreedMetrics[], contracts[].implementation.metrics[]", openContracting("ocds_metrics_extension")),
        ("Sustainability", "tender.sustainability[], tender.hasSustainability", openContracting("ocds_sustainability_extension")),
        ("United Kingdom", "observations[].measureClassification, contracts[].terminationRationaleClassifications[]",
         "https://raw.githubusercontent.com/cabinetoffice/ocds_uk_extension/main/extension.json"),
    ]

    public static var urls: [String] { used.map(\.url) }

    private static func openContracting(_ repository: String) -> String {
        "https://raw.githubusercontent.com/open-contracting-extensions/\(repository)/master/extension.json"
    }
}
