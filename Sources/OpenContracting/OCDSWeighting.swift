import SocialValue

/// The social value weighting as a notice gives it: the award criterion about social value in
/// the first lot, its `numbers[].weight` the percent (the UK's "social value weighting").
enum OCDSWeighting {
    /// Whether an award criterion is the social value one, by its name or description.
    static func isSocialValue(_ criterion: OCDSValue) -> Bool {
        let words = [criterion["name"]?.stringValue, criterion["description"]?.stringValue].compactMap { $0?.lowercased() }
        return words.contains { $0.contains("social value") }
    }

    /// The social value criterion of `lots[0]`, with its path, if the release has one.
    static func criterion(in release: OCDSValue, path: String) -> (json: OCDSValue, path: String)? {
        guard let criteria = release["tender"]?["lots"]?.arrayValue?.first?["awardCriteria"]?["criteria"]?.arrayValue else { return nil }
        for (index, criterion) in criteria.enumerated() where isSocialValue(criterion) {
            return (criterion, "\(path).tender.lots[0].awardCriteria.criteria[\(index)]")
        }
        return nil
    }
}
