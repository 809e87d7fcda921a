import SocialValue

/// A KPI's Procurement Act 2023 rating as the UK extension's `measureClassification` codes it
/// (met, slightlyBelow, below, significantlyBelow, other), keeping svledger's own words in the
/// description so that nothing of the rating is lost.
enum OCDSMeasureClassification {
    static func code(_ rating: PerformanceRating) -> String {
        switch rating {
        case .good: "met"
        case .approachingTarget: "slightlyBelow"
        case .requiresImprovement: "below"
        case .inadequate: "significantlyBelow"
        case .notYetDue: "other"
        }
    }

    static func classification(_ rating: PerformanceRating) -> OCDSValue {
        .object(("id", .string(code(rating))), ("description", .string("Procurement Act 2023 KPI rating: \(rating.rawValue)")))
    }
}
