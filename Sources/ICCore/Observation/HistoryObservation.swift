/// The parts of the ghost `CallHistory` a property reads.
///
/// The history only grows, so two situations that differ in nothing but their past are
/// distinct states, and a model that records all of it has no cycles and many more states than
/// the protocol has. A check records only the parts its properties declare (the union over the
/// properties checked); traces are re-executed with the whole history for reports and replay.
public struct HistoryObservation: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `CallHistory.calls`: the per-call records (executions, responses, cycles).
    public static let calls = HistoryObservation(rawValue: 1 << 0)
    /// `CallHistory.sent` and `started`: per pair, the order of sending and of starting.
    public static let order = HistoryObservation(rawValue: 1 << 1)
    /// `CallHistory.ingressResponses`: what each ingress message got.
    public static let ingressResponses = HistoryObservation(rawValue: 1 << 2)
    /// `CallHistory.failedUpgrades`: upgrades aborted by a trapping hook, per canister.
    public static let upgrades = HistoryObservation(rawValue: 1 << 3)
    /// Nothing: the property reads only the live state (programs, queues, contexts, ...).
    public static let none: HistoryObservation = []
    /// The whole history: the safe default for a property that does not declare its needs.
    public static let all: HistoryObservation = [.calls, .order, .ingressResponses, .upgrades]

    public var description: String {
        let names = [(Self.calls, "calls"), (.order, "order"), (.ingressResponses, "ingressResponses"), (.upgrades, "upgrades")]
            .filter { contains($0.0) }.map(\.1)
        return names.isEmpty ? "none" : names.joined(separator: "+")
    }
}
