import Testing
@testable import ICMCCommandLine
import Specs

@Test func sizesParseWithDecimalAndBinaryUnits() throws {
    #expect(try LimitParsing.bytes("512MB") == 512_000_000)
    #expect(try LimitParsing.bytes("2GiB") == 2 << 30)
    #expect(try LimitParsing.bytes("1500000000") == 1_500_000_000)
    #expect(try LimitParsing.bytes("64m") == 64 << 20)
    #expect(try LimitParsing.bytes(" 1.5 GB ") == 1_500_000_000)
    for bad in ["0", "-1", "1KB", "lots", "MB", "nan", "inf", "9223372036854775807", "99999999999999999999TB"] {
        #expect(throws: NumericArgumentError.self, "\(bad)") { try LimitParsing.bytes(bad) }
    }
}

@Test func durationsParseWithUnits() throws {
    #expect(try LimitParsing.duration("30s") == .seconds(30))
    #expect(try LimitParsing.duration("5m") == .seconds(300))
    #expect(try LimitParsing.duration("2h") == .seconds(7200))
    #expect(try LimitParsing.duration("1.5s") == .milliseconds(1500))
    #expect(try LimitParsing.duration("250ms") == .milliseconds(250))
    #expect(try LimitParsing.duration("90") == .seconds(90))
    for bad in ["0", "-1", "0s", "soon", "366d", "9223372036854775807", "nan"] {
        #expect(throws: NumericArgumentError.self, "\(bad)") { try LimitParsing.duration(bad) }
    }
}

@Test func integersStateTheirRange() {
    #expect(throws: NumericArgumentError.self) { try NumericArgument.integer("99999999999999999999", in: 1...10) }
    #expect((try? NumericArgument.integer("7", in: 1...10)) == 7)
    do {
        _ = try NumericArgument.integer("11", in: 1...10)
        Issue.record("11 is outside 1...10")
    } catch {
        #expect("\(error)".contains("1...10"))
    }
}

/// `--unreduced` leaves out the merging reductions a spec turns on itself (to measure its plain
/// state space) and keeps relative time, which defines the space; flags given with it still apply.
@Test func unreducedDropsTheSpecsOwnMergingReductions() throws {
    var spec = try #require(SpecCatalog.builtInSmall.entry(named: "P6-at-most-once-execution")).spec(with: ["scale": 2])
    spec.reductions.formUnion([.canonicalCallIds, .relativeTime])
    #expect(spec.reductions.contains(.symmetry) && spec.reductions.contains(.invisibleSteps))
    let plain = try ReductionOptions.parse(["--unreduced"]).apply(to: spec)
    #expect(plain.reductions == [.relativeTime])
    let withSymmetry = try ReductionOptions.parse(["--unreduced", "--symmetry"]).apply(to: spec)
    #expect(withSymmetry.reductions == [.relativeTime, .symmetry])
    #expect(try ReductionOptions.parse([]).apply(to: spec).reductions == spec.reductions)
}

/// A spec's floor (`Spec.minimumStates`) is about its own reductions and fault environment:
/// `--por`, `--unreduced` or another `--faults` explore another number of states, so the floor
/// is dropped rather than turning a smaller, sound search into an error.
@Test func otherReductionsOrFaultsDropTheSpecsFloor() throws {
    let spec = try #require(SpecCatalog.builtIn.spec(named: "P6-at-most-once-small"))
    let floor = try #require(spec.minimumStates)
    #expect(try ReductionOptions.parse([]).apply(to: spec).minimumStates == floor)
    #expect(try ReductionOptions.parse(["--symmetry"]).apply(to: spec).minimumStates == floor, "already on: the same search")
    #expect(try ReductionOptions.parse(["--por"]).apply(to: spec).minimumStates == nil)
    #expect(try ReductionOptions.parse(["--unreduced"]).apply(to: spec).minimumStates == nil)
    #expect(try BoundOptions.parse(["--faults", "adversarial"]).apply(to: spec).minimumStates == floor, "the spec's own faults")
    #expect(try BoundOptions.parse(["--faults", "benign"]).apply(to: spec).minimumStates == nil)
}

/// The floor belongs to the search it was measured with, not to the option parser: a library
/// user who changes a spec's reductions or faults directly gets no floor either, and the floor
/// comes back with the original search.
@Test func theFloorBelongsToItsSearch() throws {
    var spec = try #require(SpecCatalog.builtIn.spec(named: "P6-at-most-once-small"))
    let floor = try #require(spec.minimumStates)
    spec.reductions.insert(.partialOrder)
    #expect(spec.minimumStates == nil)
    spec.reductions.remove(.partialOrder)
    #expect(spec.minimumStates == floor)
    let faults = spec.configuration.faults
    spec.configuration.faults = FaultPreset.benign.switches
    #expect(spec.minimumStates == nil)
    spec.configuration.faults = faults
    #expect(spec.minimumStates == floor)
}
