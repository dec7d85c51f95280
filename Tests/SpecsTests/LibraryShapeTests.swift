import ICCore
import Specs
import Testing

@Test func specNamesAreUniqueAndDescribed() {
    let names = SpecCatalog.builtIn.specs.map(\.name)
    #expect(Set(names).count == names.count)
    for spec in SpecCatalog.builtIn.specs {
        #expect(!spec.summary.isEmpty, "\(spec.name) has no summary")
        #expect(!spec.summary.contains("\n"), "\(spec.name): the summary must be one line")
        #expect(!spec.callKinds.isEmpty, "\(spec.name) names no call kind")
        if let property = spec.expectation.violatedProperty {
            #expect(spec.propertyNames.contains(property), "\(spec.name) expects \(property) violated but does not check it")
        }
    }
}
