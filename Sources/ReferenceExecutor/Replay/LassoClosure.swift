import ICCore
import ModelChecking

/// When a lasso's last state counts as its loop state.
///
/// A run that repeats itself on the IC does not repeat its names: each retry makes a call with a
/// new number, the clock moves on, the ghost history grows. None of that changes what can happen
/// next: programs never see call numbers and the semantics compares them only within one caller
/// (order); the history never enables a step; and for a model with relative time nothing reads a
/// time except against another. So the last state closes the loop if it equals the loop state
/// after, in both, (1) the history parts the liveness property does not read are left out,
/// (2) every caller's calls are renumbered 0, 1, 2, … in their order, and (3) with relative time,
/// the clock is shifted so that `now` is 0 or 1 and a passed deadline is `now - 1`. Written on the
/// trace's JSON states, independently of the model's own renaming (`ICState.withCanonicalCallIds`).
enum LassoClosure {
    /// Whether `last` and `loop` (trace states) are alike in the sense above.
    static func closes(_ last: [String: JSONValue], _ loop: [String: JSONValue], observes: HistoryObservation, relativeTime: Bool) -> Bool {
        let fields = Replayer.stateFields
        func form(_ state: [String: JSONValue]) -> JSONValue {
            var kept = state.filter { fields.contains($0.key) }
            kept["history"] = history(kept["history"], observes: observes)
            if relativeTime { shiftClock(&kept) }
            return renumberingCalls(.object(kept))
        }
        return form(last) == form(loop)
    }

    /// The history without the parts `observes` leaves out.
    static func history(_ value: JSONValue?, observes: HistoryObservation) -> JSONValue? {
        guard case .object(var parts)? = value else { return value }
        if !observes.contains(.calls) { parts["calls"] = .array([]) }
        if !observes.contains(.order) { parts["sent"] = .array([]); parts["started"] = .array([]) }
        if !observes.contains(.ingressResponses) { parts["ingressResponses"] = .array([]) }
        if !observes.contains(.upgrades) { parts["failedUpgrades"] = nil }
        return .object(parts)
    }

    /// `now` set to min(now, 1); the deadlines of callbacks and call records moved with it, a
    /// passed one (before now - 1) to now - 1.
    static func shiftClock(_ state: inout [String: JSONValue]) {
        guard case .int(let now)? = state["now"], now > 1 else { return }
        let shift = now - 1
        func moved(_ record: JSONValue) -> JSONValue {
            guard case .object(var fields) = record, case .int(let deadline)? = fields["deadline"] else { return record }
            fields["deadline"] = .int(max(deadline, now - 1) - shift)
            return .object(fields)
        }
        state["now"] = .int(1)
        if case .array(let callbacks)? = state["callbacks"] { state["callbacks"] = .array(callbacks.map(moved)) }
        if case .object(var history)? = state["history"], case .array(let calls)? = history["calls"] {
            history["calls"] = .array(calls.map { entry in
                guard case .object(var fields) = entry, let record = fields["record"] else { return entry }
                fields["record"] = moved(record)
                return .object(fields)
            })
            state["history"] = .object(history)
        }
    }

    /// Every call id (`{"caller": c, "sequence": n}`) replaced by the rank of `n` among the
    /// numbers of caller `c` the state mentions. Ranks keep each caller's order, so sorted lists
    /// stay sorted.
    static func renumberingCalls(_ state: JSONValue) -> JSONValue {
        var numbers: [Int: Set<Int>] = [:]
        func collect(_ value: JSONValue) {
            switch value {
            case .object(let fields):
                if let (caller, sequence) = callId(fields) { numbers[caller, default: []].insert(sequence) }
                fields.values.forEach(collect)
            case .array(let items): items.forEach(collect)
            default: break
            }
        }
        collect(state)
        let ranks = numbers.mapValues { Dictionary(uniqueKeysWithValues: $0.sorted().enumerated().map { ($0.element, $0.offset) }) }
        func rename(_ value: JSONValue) -> JSONValue {
            switch value {
            case .object(let fields):
                if let (caller, sequence) = callId(fields), let rank = ranks[caller]?[sequence] {
                    return .object(["caller": .int(caller), "sequence": .int(rank)])
                }
                return .object(fields.mapValues(rename))
            case .array(let items): return .array(items.map(rename))
            default: return value
            }
        }
        return rename(state)
    }

    private static func callId(_ fields: [String: JSONValue]) -> (Int, Int)? {
        guard fields.count == 2, case .int(let caller)? = fields["caller"], case .int(let sequence)? = fields["sequence"] else { return nil }
        return (caller, sequence)
    }
}
