import ICCore
import ICSpec
import Testing
@testable import Specs

/// The verdict of `name` when it checks only `property` (safety or liveness).
private func verdict(of name: String, checkingOnly property: String) throws -> SpecResult.Verdict {
    var spec = try #require(SpecCatalog.builtInSmall.spec(named: name))
    spec.properties = spec.properties.filter { $0.name == property }
    spec.livenessProperties = spec.livenessProperties.filter { $0.name == property }
    #expect(spec.propertyNames == [property], "\(name) has no property \(property)")
    spec.expectation = .holds
    return SpecRunner(workers: 2, traceDirectory: nil).check(spec).result.verdict
}

/// Deposits through best-effort calls: each spec's details say which claim fails and which
/// holds; the catalogue's verdict names only the first violated one, so check each on its own.
@Test func depositVerdictsDependOnCycleRefunds() throws {
    let conserved = "cycles-conserved-without-sink", books = "wallet-books-match-balance"
    #expect(try verdict(of: "D1-deposit-best-effort-specification", checkingOnly: conserved) == .violated(property: conserved))
    #expect(try verdict(of: "D1-deposit-best-effort-specification", checkingOnly: books) == .holds)
    #expect(try verdict(of: "D1-deposit-best-effort-replica", checkingOnly: conserved) == .holds)
    #expect(try verdict(of: "D1-deposit-best-effort-replica", checkingOnly: books) == .violated(property: books))
}

/// The broadcast designs differ in liveness only: every design keeps the applied events
/// gap-free and duplicate-free.
@Test(arguments: ["PS1-broadcast-without-catch-up", "PS2-broadcast-naive-catch-up", "PS3-broadcast-robust-catch-up"])
func broadcastSafetyHoldsInEveryDesign(name: String) throws {
    #expect(try verdict(of: name, checkingOnly: "applied-gap-free") == .holds)
}

/// The naive catch-up's lasso needs an event published after a catch-up was served: with two
/// events it cannot happen, so the liveness claim holds there (the default is three).
@Test func naiveCatchUpNeedsThreeEvents() throws {
    let entry = try #require(SpecCatalog.builtInSmall.entry(named: "PS2-broadcast-naive-catch-up"))
    var spec = try entry.spec(with: ["events": 2])
    spec.expectation = .holds
    #expect(SpecRunner(workers: 2, traceDirectory: nil).check(spec).result.verdict == .holds)
    let wide = try entry.spec(with: ["subscribers": 2])
    #expect(wide.configuration.canisters.count == 3)
    #expect(wide.symmetryGroups == [[CanisterId(1), CanisterId(2)]])
}

/// Stop-then-upgrade behind a silent guaranteed callee fails because no upgrade can be
/// attempted, not because one fails; a trapping pre_upgrade fails although the canister stops.
@Test func upgradeFailuresAreTheOnesTheDetailsName() throws {
    #expect(try verdict(of: "U2-upgrade-blocked-by-silent-callee", checkingOnly: "upgrades-succeed") == .holds)
    #expect(try verdict(of: "U3-trapping-pre-upgrade-blocks", checkingOnly: "stopping-leads-to-stopped") == .holds)
}
