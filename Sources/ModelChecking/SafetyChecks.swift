/// The safety properties a search decides, as a flat list of checks on single states: one per
/// `always`/`sometimes` property, plus a deadlock check when the system reports deadlocks.
@usableFromInline
struct SafetyChecks<System: TransitionSystem> {
    @usableFromInline enum Kind { case always, sometimes, deadlock }

    @usableFromInline struct Check {
        @usableFromInline let propertyIndex: Int?
        @usableFromInline let kind: Kind
        @usableFromInline let condition: (@Sendable (System.State) -> Bool)?
    }

    @usableFromInline let checks: [Check]
    /// Indices of the checks evaluated on every state (not the deadlock check).
    @usableFromInline let stateChecks: [Int]
    @usableFromInline let deadlockCheck: Int?

    @usableFromInline
    init(system: System) {
        var checks: [Check] = []
        for (index, property) in system.properties.enumerated() {
            switch property.expectation {
            case .always: checks.append(Check(propertyIndex: index, kind: .always, condition: property.condition))
            case .sometimes: checks.append(Check(propertyIndex: index, kind: .sometimes, condition: property.condition))
            case .eventually, .leadsTo: break
            }
        }
        stateChecks = Array(checks.indices)
        if system.reportsDeadlocks {
            deadlockCheck = checks.count
            checks.append(Check(propertyIndex: nil, kind: .deadlock, condition: nil))
        } else {
            deadlockCheck = nil
        }
        self.checks = checks
    }

    @usableFromInline var isEmpty: Bool { checks.isEmpty }

    /// Whether `state` decides state check `index` (violates an invariant or reaches a goal).
    @inlinable @inline(__always)
    func decides(_ index: Int, _ state: System.State) -> Bool {
        let check = checks[index]
        switch check.kind {
        case .always: return !check.condition!(state)
        case .sometimes: return check.condition!(state)
        case .deadlock: return false
        }
    }

    /// The verdicts for the system's properties (in order) and the deadlock pseudo-property.
    @usableFromInline
    func verdicts(
        system: System, traces: [Trace<System>?], outcome: CheckOutcome
    ) -> [PropertyVerdict<System>] {
        let incomplete = IncompleteReason(outcome)
        func undecided(_ kind: Kind) -> PropertyStatus<System> {
            if let incomplete { return .incomplete(incomplete) }
            return kind == .sometimes ? .notReached : .holds
        }
        var verdicts: [PropertyVerdict<System>] = []
        for (index, property) in system.properties.enumerated() {
            guard let checkIndex = checks.firstIndex(where: { $0.propertyIndex == index }) else {
                verdicts.append(PropertyVerdict(name: property.name, expectation: property.expectation, status: .notChecked))
                continue
            }
            let kind = checks[checkIndex].kind
            let status: PropertyStatus<System> =
                if let found = traces[checkIndex] {
                    kind == .sometimes ? .reached(system.reportedTrace(found)) : .violated(system.reportedTrace(found))
                } else {
                    undecided(kind)
                }
            verdicts.append(PropertyVerdict(name: property.name, expectation: property.expectation, status: status))
        }
        if let deadlockCheck {
            let status: PropertyStatus<System> = traces[deadlockCheck].map { .violated(system.reportedTrace($0)) } ?? undecided(.deadlock)
            verdicts.append(
                PropertyVerdict(name: CheckResult<System>.deadlockPropertyName, expectation: .always, status: status))
        }
        return verdicts
    }
}
