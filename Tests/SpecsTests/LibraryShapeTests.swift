import ICCore
import Specs
import Testing

@Test func specNamesAreUniqueAndDescribed() {
    let names = SpecCatalog.builtInSmall.specs.map(\.name)
    #expect(Set(names).count == names.count)
    for spec in SpecCatalog.builtInSmall.specs {
        #expect(!spec.summary.isEmpty, "\(spec.name) has no summary")
        #expect(!spec.summary.contains("\n"), "\(spec.name): the summary must be one line")
        #expect(!spec.callKinds.isEmpty, "\(spec.name) names no call kind")
        if let property = spec.expectation.violatedProperty {
            #expect(spec.propertyNames.contains(property), "\(spec.name) expects \(property) violated but does not check it")
        }
    }
}

/// Every built-in bug pattern is a pair that cannot drift apart (`Spec.bugPattern`): for each
/// `X-buggy` an `X-fixed` (for an application, `X-correct`) with the same category, properties
/// and environment shape; the buggy side expects its property violated, the other to hold.
@Test func everyBuggySpecHasAFixedTwinCheckingTheSameProperties() throws {
    let specs = Dictionary(uniqueKeysWithValues: SpecCatalog.builtInSmall.specs.map { ($0.name, $0) })
    let buggy = specs.values.filter { $0.name.hasSuffix("-buggy") }
    #expect(buggy.count >= 10)
    for bug in buggy {
        let stem = String(bug.name.dropLast("buggy".count))
        let fixed = try #require(specs[stem + "fixed"] ?? specs[stem + "correct"], "\(bug.name) has no fixed twin")
        #expect(bug.category == fixed.category, "\(bug.name)")
        #expect(bug.propertyNames == fixed.propertyNames, "\(bug.name)")
        #expect(bug.silentCanisters == fixed.silentCanisters && bug.eagerSchedule == fixed.eagerSchedule, "\(bug.name)")
        #expect(bug.expectation.violatedProperty != nil && fixed.expectation == .holds, "\(bug.name)")
    }
}
