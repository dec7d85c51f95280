/// Measured sizes of the P specs at the larger scales, for their details: the plain state space
/// (`icmc bench spec NAME --param scale=N --unreduced`) and the one the spec's own reductions
/// leave (`--param scale=N`). Measured with a release build, one worker, the properties judged
/// through their monitors (no ghost history). Every reduced search listed completed; an
/// unreduced one that stopped at its state or time limit gives a lower bound.
enum MessagePropertyFigures {
    /// Distinct states (unreduced, reduced) by spec name and scale; `nil`: not measured.
    /// At a spec's default scale the reduced count is also its floor (`Spec.minimumStates`).
    /// `unreducedAtLeast`: the unreduced search stopped at a state or time limit, so `unreduced`
    /// is a lower bound.
    static let measured: [String: [Int: (unreduced: Int?, reduced: Int, unreducedAtLeast: Bool)]] = [
        // Two clients, each with two guaranteed calls (10 cycles, the server accepting or not).
        "P3-request-order-guaranteed": [2: (1_544_602, 80_528, false)],
        "P8-guaranteed-response": [2: (1_544_602, 80_528, false)],
        "P10-cycles-conserved-guaranteed": [2: (1_544_602, 80_528, false)],
        // Three clients, each with one best-effort call (10 cycles, the server accepting or not).
        "P9-best-effort-response": [3: (3_881_046, 250_238, true)],
        "P11-best-effort-cycles-replica": [3: (1_100_000, 250_238, true)],
        // The same under the specification's cycle refunds (dropped cycles are lost).
        "P11-best-effort-cycles": [3: (1_100_000, 300_000, true)],
        // Two clients, each with two small guaranteed calls (10 cycles), within the quotas.
        "P3-request-order-small": [2: (1_544_602, 80_528, false)],
        "P6-at-most-once-small": [2: (1_544_602, 80_528, false)],
        "P7-single-response-small": [2: (1_544_602, 80_528, false)],
        "P8-guaranteed-response-small": [2: (1_544_602, 80_528, false)],
        "P10-cycles-conserved-small": [2: (1_544_602, 80_528, false)],
        // Two clients, each with a guaranteed and a best-effort call (10 cycles each, the server
        // accepting or not); P1 remembers the replied counter values, which splits states.
        "P1-atomic-execution": [2: (3_000_000, 2_554_021, true)],
        "P2-one-callback-per-call": [2: (3_000_000, 1_534_673, true)],
        "P5-trap-rollback": [2: (3_000_000, 1_534_673, true)],
        "P6-at-most-once-execution": [2: (3_000_000, 1_534_673, true)],
        "P7-single-response": [2: (3_000_000, 1_534_673, true)],
        // C0 with two best-effort calls, C1 with one (no symmetry: C0 and C1 differ).
        "P3-request-order": [2: (2_140_965, 460_910, false)],
        // The mixed workload's claims per kind (`PerKindSpecs.mixedClaimsPerKind`): the
        // guaranteed and best-effort workloads above, with each claim's own monitors.
        "P1-atomic-execution-guaranteed": [2: (1_544_602, 80_528, false)],
        "P2-one-callback-per-call-guaranteed": [2: (1_544_602, 80_528, false)],
        "P5-trap-rollback-guaranteed": [2: (1_544_602, 80_528, false)],
        "P6-at-most-once-execution-guaranteed": [2: (1_544_602, 80_528, false)],
        "P7-single-response-guaranteed": [2: (1_544_602, 80_528, false)],
        // P1 remembers the counter values the server replied with, which splits states.
        "P1-atomic-execution-best-effort": [3: (1_100_000, 532_118, true)],
        "P2-one-callback-per-call-best-effort": [3: (1_100_000, 250_238, true)],
        "P5-trap-rollback-best-effort": [3: (1_100_000, 250_238, true)],
        "P6-at-most-once-execution-best-effort": [3: (1_100_000, 250_238, true)],
        "P7-single-response-best-effort": [3: (1_100_000, 250_238, true)],
    ]

    /// The sentence of the details, or "" for a spec not measured at `scale`.
    static func sentence(for name: String, scale: Int) -> String {
        guard let figures = measured[name]?[scale] else { return "" }
        let unreduced = figures.unreduced.map {
            figures.unreducedAtLeast
                ? "more than \(grouped($0)) distinct states unreduced (`icmc check \(name) --param scale=\(scale) --unreduced` stopped at a limit), "
                : "\(grouped($0)) distinct states unreduced (`icmc check \(name) --param scale=\(scale) --unreduced`), "
        } ?? ""
        return "Size at scale=\(scale) (measured, release build): \(unreduced)\(grouped(figures.reduced)) with the spec's reductions."
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
