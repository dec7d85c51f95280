import ICCore
import ModelChecking
import Testing

/// The model updates the ghost history through `insertCall`/`updateCall`/`appendSent`/
/// `appendStarted`, which keep digests instead of rehashing every record; the executor and
/// tests mutate the dictionaries directly. Both must give the same fingerprint and equality.
@Suite struct CallHistoryDigestTests {
    func record(_ callee: Int, attached: Cycles) -> CallRecord {
        CallRecord(callee: CanisterId(callee), method: "m", kind: .bestEffort, attached: attached, deadline: 3)
    }

    @Test func incrementalUpdatesMatchPlainMutation() {
        var incremental = CallHistory()
        var plain = CallHistory()
        for sequence in 0..<6 {
            let call = CallId(caller: CanisterId(sequence % 2), sequence: sequence)
            let pair = QueuePair(from: call.caller, to: CanisterId(2))
            incremental.insertCall(call, record(2, attached: sequence))
            plain.calls[call] = record(2, attached: sequence)
            incremental.appendSent(call, pair)
            plain.sent[pair, default: []].append(call)
            if sequence % 2 == 0 {
                incremental.appendStarted(call, pair)
                plain.started[pair, default: []].append(call)
                incremental.updateCall(call) { $0.executions += 1 }
                plain.calls[call]?.executions += 1
            }
            #expect(incremental == plain)
            #expect(incremental.fingerprint == plain.fingerprint)
        }
        // An update changes the fingerprint; undoing it restores it.
        let before = incremental.fingerprint
        let call = CallId(caller: 0, sequence: 0)
        incremental.updateCall(call) { $0.refunded += 1 }
        #expect(incremental.fingerprint != before)
        incremental.updateCall(call) { $0.refunded -= 1 }
        #expect(incremental.fingerprint == before)
        // Updating a call without a record changes nothing.
        incremental.updateCall(CallId(caller: 5, sequence: 9)) { $0.refunded += 1 }
        #expect(incremental.fingerprint == before)
    }

    @Test func plainMutationAfterIncrementalUpdatesStaysConsistent() {
        var history = CallHistory()
        let call = CallId(caller: 1, sequence: 0)
        history.insertCall(call, record(0, attached: 4))
        history.calls[call]?.accepted = 2  // drops the digest
        history.updateCall(call) { $0.refunded = 2 }  // rebuilds it, then updates
        var expected = CallHistory()
        var changed = record(0, attached: 4)
        changed.accepted = 2
        changed.refunded = 2
        expected.calls[call] = changed
        #expect(history == expected)
        #expect(history.fingerprint == expected.fingerprint)
    }
}

@Test func relabellingKeepsEveryOtherField() {
    var record = CallRecord(callee: 1, method: "transfer", kind: .bestEffort, attached: 7, deadline: 3)
    record.executions = 1
    record.calleeResponse = .reply(Payload(5))
    record.accepted = 2
    record.deliveredResponses = [.reject(.sysUnknown, "")]
    record.refunded = 3
    record.lost = 1
    record.returned = 1
    // A field added to CallRecord and forgotten by `relabelled` makes this differ.
    #expect(record.relabelled(callee: record.callee, deadline: record.deadline) == record)
    let moved = record.relabelled(callee: 2, deadline: nil)
    #expect(moved.callee == 2 && moved.deadline == nil && moved.executions == 1 && moved.returned == 1)
}
