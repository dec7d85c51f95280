/// Measured sizes of the P specs at scale 2, for their details: the plain state space (`icmc
/// check NAME --param scale=2 --unreduced`) and the one the spec's own reductions leave
/// (`icmc check NAME --param scale=2`). Measured with a release build, one worker; only specs
/// whose both searches completed are listed.
enum MessagePropertyFigures {
    /// Distinct states (unreduced, reduced) by spec name.
    static let measured: [String: (unreduced: Int, reduced: Int)] = [
        "P3-request-order-guaranteed": (886_554, 75_666),
        "P3-request-order-small": (777_682, 71_824),
        "P6-at-most-once-small": (5_179_618, 479_436),
        "P7-single-response-small": (5_179_618, 479_436),
        "P8-guaranteed-response-small": (5_179_618, 479_436),
        "P10-cycles-conserved-small": (5_179_618, 479_436),
    ]

    /// The sentence of the details, or "" for a spec not measured.
    static func sentence(for name: String) -> String {
        guard let figures = measured[name] else { return "" }
        return "Size at scale=2 (measured, release build): \(grouped(figures.unreduced)) distinct states unreduced (`icmc check \(name) --param scale=2 --unreduced`), \(grouped(figures.reduced)) with the spec's reductions."
    }

    /// `1234567` as "1,234,567".
    static func grouped(_ value: Int) -> String {
        var digits = String(value)
        var groups: [Substring] = []
        while digits.count > 3 {
            groups.insert(Substring(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(Substring(digits), at: 0)
        return groups.joined(separator: ",")
    }
}
