import LedgerValues
import SocialValue

/// The social value weighting as a notice gives it: the award criterion about social value in
/// the first lot. Its `numbers[0].number` is read by the code in `numbers[0].weight` (the
/// awardCriteria extension's `criterionWeight` codelist), so that 20 points, 0.1 and 10% each
/// become the percentage they stand for.
enum OCDSWeighting {
    /// Whether an award criterion is the social value one, by its name or description.
    static func isSocialValue(_ criterion: OCDSValue) -> Bool {
        let words = [criterion["name"]?.stringValue, criterion["description"]?.stringValue].compactMap { $0?.lowercased() }
        return words.contains { $0.contains("social value") }
    }

    /// The social value criterion of `lots[0]`, with its path, if the release has one.
    static func criterion(in release: OCDSValue, path: String) -> (json: OCDSValue, path: String)? {
        guard let criteria = criteria(in: release) else { return nil }
        for (index, criterion) in criteria.enumerated() where isSocialValue(criterion) {
            return (criterion, "\(path).tender.lots[0].awardCriteria.criteria[\(index)]")
        }
        return nil
    }

    static func criteria(in release: OCDSValue) -> [OCDSValue]? {
        release["tender"]?["lots"]?.arrayValue?.first?["awardCriteria"]?["criteria"]?.arrayValue
    }

    /// The percentage the social value criterion stands for, or nil with a finding saying why
    /// none can be read.
    /// - `percentageExact` (or no code): the number is the percentage.
    /// - `decimalExact`: a proper fraction, so 0.1 is 10%.
    /// - `pointsExact`: its points over the points of every criterion of the lot, each of which
    ///   must be given in points too; to two decimals, with a finding, when that share does not end.
    /// - a range or an order of importance is not one percentage: refused.
    /// - Some publishers put the percentage in `weight` itself, with no `number`: taken as it is.
    static func percent(
        _ criterion: OCDSValue, path: String, criteria: [OCDSValue], reader: inout OCDSValueReader
    ) -> ExactDecimal? {
        let numbers = criterion["numbers"]?.arrayValue ?? []
        guard let first = numbers.first else {
            reader.note(.missingField, "\(path).numbers[0].weight", "the social value criterion gives no weight")
            return nil
        }
        guard let figure = first["number"] else {
            guard let weight = first["weight"] else {
                reader.note(.missingField, "\(path).numbers[0].weight", "the social value criterion gives no weight")
                return nil
            }
            return reader.quantity(weight, "\(path).numbers[0].weight")
        }
        guard let number = reader.quantity(figure, "\(path).numbers[0].number") else { return nil }
        let code = first["weight"]?.stringValue ?? "percentageExact"
        switch code {
        case "percentageExact":
            return number
        case "decimalExact":
            guard number <= ExactDecimal(1) else {
                reader.note(.invalidValue, "\(path).numbers[0].number", "\(number) is weighted decimalExact, a proper fraction such as 0.1 for 10%, but is more than 1")
                return nil
            }
            return (number * ExactDecimal(100)).normalized
        case "pointsExact":
            return pointsShare(number, path: path, criteria: criteria, reader: &reader)
        case "percentageRangeMiddle", "decimalRangeMiddle", "pointsRangeMiddle", "order":
            reader.note(
                .invalidValue, "\(path).numbers[0].weight",
                "the social value criterion is weighted \(code), \(code == "order" ? "an order of importance" : "a range"), not one percentage; record the weighting with `svledger weighting decide`, then import again")
            return nil
        default:
            reader.note(.invalidValue, "\(path).numbers[0].weight", "\(DisplayText.quoted(code)) is not a weight code of the awardCriteria extension (percentageExact, decimalExact, pointsExact, …)")
            return nil
        }
    }

    /// `points` as a share of every criterion's points, in percent.
    private static func pointsShare(_ points: ExactDecimal, path: String, criteria: [OCDSValue], reader: inout OCDSValueReader) -> ExactDecimal? {
        var total = ExactDecimal.zero
        for criterion in criteria {
            guard let first = criterion["numbers"]?.arrayValue?.first, first["weight"]?.stringValue == "pointsExact",
                let text = first["number"]?.decimalText, let each = try? ValueParsing.quantity(text)
            else {
                reader.note(
                    .invalidValue, "\(path).numbers[0].weight",
                    "the social value criterion is weighted in points, but not every criterion of the lot gives its points, so its share cannot be worked out")
                return nil
            }
            total = total + each
        }
        guard !total.isZero else {
            reader.note(.invalidValue, "\(path).numbers[0].number", "the lot's criteria give 0 points in all")
            return nil
        }
        let hundred = points * ExactDecimal(100)
        let share = hundred.divided(by: total, decimals: 2)
        if share * total != hundred {
            reader.note(.recomputed, "\(path).numbers[0].number", "\(points) of \(total) points is \(share)% to two decimals")
        }
        return share.normalized
    }
}
