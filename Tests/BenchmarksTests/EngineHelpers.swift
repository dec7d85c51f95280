import ModelChecking

/// Runs the engine's breadth-first search over the whole state space (no early stop, no
/// progress output) with `workers` threads.
func checkAll<System: TransitionSystem>(_ system: System, workers: Int) -> CheckResult<System> {
    Checker(system, options: CheckerOptions(workers: workers, stopOnViolation: false, progressInterval: nil)).run()
}

/// The status labels of all verdicts, by property name.
func labels<System: TransitionSystem>(_ result: CheckResult<System>) -> [String: String] {
    Dictionary(uniqueKeysWithValues: result.verdicts.map { ($0.name, $0.status.label) })
}
