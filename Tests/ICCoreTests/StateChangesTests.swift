import ModelChecking
import Testing
@testable import ICCore

/// A counterexample step prints only the fields of a program state that changed.
@Test func programStateChangesNameOnlyTheChangedFields() {
    let before: JSONValue = .object(["received": .array([]), "sent": .int(0), "syncFailures": .int(0)])
    let after: JSONValue = .object(["received": .array([.int(2)]), "sent": .int(1), "syncFailures": .int(0)])
    #expect(ObservableState.fieldChanges(from: before, to: after) == "received `[]` → `[2]`, sent `0` → `1`")
    let added: JSONValue = .object(["received": .array([]), "sent": .int(0), "syncFailures": .int(0), "createdAt": .int(0)])
    #expect(ObservableState.fieldChanges(from: before, to: added) == "createdAt (absent) → `0`")
    // A state that is not an object is shown whole.
    #expect(ObservableState.fieldChanges(from: .int(1), to: .int(2)) == "`1` → `2`")
}
