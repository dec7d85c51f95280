import SMT

/// Z3's satisfiability outcome under a name that does not clash with ModelChecking's
/// `CheckResult` (files importing both modules use this one).
typealias SolverOutcome = CheckResult

extension CheckResult {
    var isSat: Bool { if case .sat = self { return true } else { return false } }
}
