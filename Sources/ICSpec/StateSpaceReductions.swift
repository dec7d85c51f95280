import ICCore
import ICMessaging

/// Reductions of the state space a check may use. Each keeps every verdict; they change the
/// number of states explored and nothing about traces (counterexamples are made concrete again
/// before they are reported).
public struct StateSpaceReductions: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Interchangeable canisters (declared by the spec, or derived from the configuration when
    /// it declares none) are swapped into a canonical order, and live calls renumbered, before a
    /// state is stored. Safety checks only: a spec with liveness properties is searched unreduced.
    public static let symmetry = StateSpaceReductions(rawValue: 1 << 0)
    /// Invisible internal steps: T9 (removing an answered call context that nothing references)
    /// is merged into the step that made the context removable. Used when no checked property
    /// observes context removal (`ICProperty.observesContextRemoval`,
    /// `ICLivenessProperty.observesContextRemoval`); counterexamples are reported with the T9
    /// steps made explicit again.
    public static let invisibleSteps = StateSpaceReductions(rawValue: 1 << 1)
    /// Canonical call ids: every caller's calls the state mentions are renumbered 0, 1, 2, … in
    /// their original order, and its next call number set to their count, before a state is
    /// stored (`ICState.withCanonicalCallIds()`). States that differ only in the numbers of their
    /// calls, or in how many calls finished before, are one state. Safety and liveness checks;
    /// counterexamples are made concrete again (a lasso then closes up to call numbers).
    public static let canonicalCallIds = StateSpaceReductions(rawValue: 1 << 2)
    /// Relative time: the clock is unbounded (`maxTime` does not apply) and a state keeps `now`
    /// only as "started or not" and every deadline as the time it has left
    /// (`ICState.withRelativeTime()`), so the space is finite without a clock bound and a retry
    /// loop is a cycle. A declaration of the spec's programs and properties: they compare times
    /// only with each other (no program stores `now` or acts on its value). Safety and liveness
    /// checks; counterexamples are made concrete again (a lasso then closes up to a time shift,
    /// which replay accepts for such a spec: `ICModel.relativeTime`).
    public static let relativeTime = StateSpaceReductions(rawValue: 1 << 3)
    /// Partial-order reduction: where one canister's steps commute with everything the others
    /// can do first and change nothing the properties read, only they are explored
    /// (`PartialOrderReduction`). Safety and liveness checks (liveness with fairness judged on
    /// the steps enabled, not those explored), where it applies (`Spec.partialOrderProblem`):
    /// same verdicts, fewer states, but counterexamples need not be shortest.
    public static let partialOrder = StateSpaceReductions(rawValue: 1 << 4)
}

extension Spec {
    /// Why partial-order reduction is not used on this spec although asked for, as one line;
    /// `nil` when it is not asked for or applies.
    public var partialOrderProblem: String? {
        guard reductions.contains(.partialOrder) else { return nil }
        return PartialOrderReduction.problem(spec: self, checking: properties).map { "\(name): --por not applied: \($0)" }
    }

    /// Whether a check of `properties` uses partial-order reduction.
    func partialOrderInUse(checking properties: [ICProperty]) -> Bool {
        reductions.contains(.partialOrder) && PartialOrderReduction.problem(spec: self, checking: properties) == nil
    }

    /// Whether a check of `properties` merges invisible steps: the reduction is on and no
    /// property, safety or liveness, observes context removal. Under liveness a merged run is a
    /// plain run with every T9 taken at once (fair for T9, and no other step's enabledness
    /// changes but a stop completion's, which only becomes possible sooner), so every violation
    /// found is a violation of the plain model; what merging leaves out are runs that put off a
    /// removal for ever, which the replica never does (it removes at once).
    public func mergesInvisibleSteps(checking properties: [ICProperty]) -> Bool {
        reductions.contains(.invisibleSteps) && !livenessProperties.contains { $0.observesContextRemoval }
            && !properties.contains { $0.observesContextRemoval }
    }

    /// Whether the properties' monitors all name no canister, call or instant
    /// (`IdentityFreeMonitor`): only then do the renaming reductions apply to them.
    var monitorsAreIdentityFree: Bool { MonitorStates(properties: properties).areIdentityFree }

    /// Why the reductions asked for cannot be used with the properties' monitors, as one line:
    /// relative time with a monitor that may keep an instant. (Symmetry and canonical call ids
    /// are then simply not used: searching unreduced is always sound.)
    public var monitorProblem: String? {
        guard reductions.contains(.relativeTime), !monitorsAreIdentityFree else { return nil }
        return "\(name): --relative-time refused: a property's monitor is not an IdentityFreeMonitor (it may keep an instant, which relative time would shift)"
    }

    /// Why the declared `symmetryGroups` cannot be used (e.g. a property names a single member),
    /// or `nil` when the spec declares none or a valid one. A spec with a problem is refused.
    public var symmetryDeclarationProblem: String? {
        guard !symmetryGroups.isEmpty else { return nil }
        guard monitorsAreIdentityFree else {
            return "\(name): symmetry declaration refused: a property's monitor is not an IdentityFreeMonitor (it may name a member of the group)"
        }
        do {
            _ = try SymmetryGroups(validating: symmetryGroups, configuration: configuration, properties: properties, silent: silentCanisters)
            return nil
        } catch {
            return "\(name): symmetry declaration refused: \(error.description)"
        }
    }

    /// The groups symmetry reduction uses with `properties` checked: the declared ones if they
    /// are valid, else (no declaration) those derived from the configuration; `nil` when the
    /// reduction is off, does not apply (liveness properties) or has nothing to swap.
    func symmetryInUse(checking properties: [ICProperty]) -> SymmetryReduction? {
        guard reductions.contains(.symmetry), livenessProperties.isEmpty, MonitorStates(properties: properties).areIdentityFree
        else { return nil }
        let groups: SymmetryGroups
        if symmetryGroups.isEmpty {
            groups = SymmetryGroups.derived(configuration: configuration, properties: properties, silent: silentCanisters)
        } else {
            guard let valid = try? SymmetryGroups(validating: symmetryGroups, configuration: configuration, properties: properties, silent: silentCanisters)
            else { return nil }
            groups = valid
        }
        return groups.isEmpty ? nil : SymmetryReduction(groups: groups, configuration: configuration)
    }
}
