import Foundation
import ICCore
import ModelChecking
import Testing

/// A user's typed arguments, without a hand-written fingerprint (the encoder-based one is used).
private struct Transfer: PayloadValue, CustomStringConvertible {
    var amount: Int
    var key: Int?
    var description: String { "\(amount)" + (key.map { ", key \($0)" } ?? "") }
}

/// No description of its own: printed as JSON.
private struct Plain: PayloadValue { var account: Int }

/// A value whose own fingerprint feeds exactly the words an `Int` feeds: only the type tag
/// tells `Wrapped(5)` from `5`.
private struct Wrapped: PayloadValue, Fingerprintable {
    var value: Int
    func fingerprint(into hasher: inout FingerprintHasher) { hasher.combine(value) }
}

private enum TransferResult: String, PayloadValue { case ok, failed }

@Suite struct PayloadTests {
    /// Samples that differ in value or only in type, each made twice (separately).
    var samples: [Payload] {
        let once: [Payload] = [
            .empty, [], [1], [1, 2], [2, 1], Payload(1), Payload(2), Payload("1"), Payload(true), Payload(false),
            Payload(Transfer(amount: 10, key: nil)), Payload(Transfer(amount: 10, key: 1)), Payload(Transfer(amount: 11, key: 1)),
            Payload(Plain(account: 1)), Payload(Wrapped(value: 1)), Payload(Wrapped(value: 2)),
            Payload(TransferResult.ok), Payload(TransferResult.failed), Payload(JSONValue.array([.int(1)])),
            Payload([[1], [2]]), Payload([Int]?.none), Payload(Payload([3])),
        ]
        let again: [Payload] = [
            Payload([Int]()), Payload([Int]()), Payload([1]), Payload([1, 2]), Payload(1), Payload(Transfer(amount: 10, key: 1)),
            Payload(Wrapped(value: 1)), Payload(TransferResult.ok), Payload([3]),
        ]
        return once + again
    }

    @Test func fingerprintsAgreeWithEquality() {
        #expect(FingerprintAudit.inconsistencies(in: samples).isEmpty)
        #expect(Payload([1, 2]) == [1, 2])
        #expect(Payload(Payload([3])) == Payload([3]), "a payload is not wrapped twice")
        #expect(Payload(Transfer(amount: 10, key: 1)) == Payload(Transfer(amount: 10, key: 1)))
        #expect(Payload(Transfer(amount: 10, key: 1)) != Payload(Transfer(amount: 10, key: 2)))
    }

    /// Values of different types are different payloads, even when their own fingerprints and
    /// their encodings coincide.
    @Test func theTypeIsPartOfThePayload() {
        #expect(Payload(Wrapped(value: 5)) != Payload(5))
        #expect(Payload(Wrapped(value: 5)).fingerprint != Payload(5).fingerprint)
        #expect(Payload(1) != Payload([1]))
        #expect(Payload(1).fingerprint != Payload([1]).fingerprint)
        #expect(Payload(JSONValue.array([.int(1)])) != Payload([1]))
    }

    /// Responses and call records carrying typed payloads still fingerprint by every field.
    @Test func responsesWithTypedPayloads() {
        let responses: [Response] = [
            .reply(.empty), .reply([1]), .reply(Payload(TransferResult.ok)), .reply(Payload(TransferResult.failed)),
            .reply(Payload(Transfer(amount: 1, key: nil))), .reject(.canisterReject, "ok"),
        ]
        #expect(FingerprintAudit.inconsistencies(in: responses).isEmpty)
        #expect(FingerprintAudit.mergedFields(in: responses).isEmpty)
        #expect(Response.reply(Payload(TransferResult.ok)).payload(as: TransferResult.self) == .ok)
        #expect(Response.reply(Payload(TransferResult.ok)).payload(as: Int.self) == nil)
        #expect(Response.reject(.sysUnknown, "").payload(as: TransferResult.self) == nil)
    }

    /// A payload read back from its JSON: integers come back equal; typed values come back as
    /// JSON with the same canonical form, and `as(_:)` decodes them into the program's type.
    @Test func jsonRoundTrip() throws {
        func roundTrip(_ payload: Payload) throws -> Payload {
            try JSONDecoder().decode(Payload.self, from: JSONEncoder().encode(payload))
        }
        for payload in [Payload.empty, [1, 2], Payload(7), Payload("x"), Payload(true)] {
            #expect(try roundTrip(payload) == payload)
        }
        let transfer = Transfer(amount: 10, key: 1)
        let decoded = try roundTrip(Payload(transfer))
        #expect(decoded.json == Payload(transfer).json)
        #expect(decoded.as(Transfer.self) == transfer)
        #expect(decoded.as(Plain.self) == nil)
        #expect(try roundTrip(Payload(TransferResult.failed)).as(TransferResult.self) == .failed)
        #expect(try roundTrip(decoded) == decoded, "the decoded form is canonical: it round-trips as itself")
        #expect(Payload(transfer).json == .object(["amount": .int(10), "key": .int(1)]))
    }

    /// A history whose responses carry typed payloads encodes and decodes to the same JSON.
    @Test func historiesWithTypedRepliesRoundTrip() throws {
        var history = CallHistory()
        var record = CallRecord(callee: 1, method: "transfer", kind: .bestEffort, attached: 0, deadline: 3)
        record.calleeResponse = .reply(Payload(TransferResult.ok))
        record.deliveredResponses = [.reply(Payload(TransferResult.ok))]
        history.calls[CallId(caller: 0, sequence: 0)] = record
        history.ingressResponses[0] = .reply(Payload(Transfer(amount: 1, key: 2)))
        let data = try JSONEncoder().encode(history)
        let decoded = try JSONDecoder().decode(CallHistory.self, from: data)
        #expect(JSONValue(encoding: decoded) == JSONValue(encoding: history))
        #expect(decoded.calls[CallId(caller: 0, sequence: 0)]?.calleeResponse?.payload(as: TransferResult.self) == .ok)
    }

    @Test func descriptions() {
        #expect(Payload([10, 1]).description == "10, 1")
        #expect(Payload.empty.description == "")
        #expect(Payload(Transfer(amount: 10, key: 1)).description == "10, key 1")
        #expect(Payload(Plain(account: 2)).description == "{account: 2}")
        #expect(Payload(5).description == "5")
        #expect(Payload("x").description == "\"x\"")
        #expect(Response.reply(Payload(Transfer(amount: 10, key: 1))).description == "reply(10, key 1)")
        #expect(Response.reply(.empty).description == "reply()")
    }

    /// Reading arguments as the wrong type is a trap of the canister (as a CDK's decoding
    /// failure), not a crash of the checker.
    @Test func argumentsOfAnotherTypeTrap() throws {
        let call = IncomingCall(method: "transfer", arguments: [1, 2], caller: .user(slot: 0))
        #expect(try call.arguments(as: [Int].self) == [1, 2])
        #expect(throws: CanisterTrap.self) { try call.arguments(as: Transfer.self) }
        let typed = IncomingCall(method: "transfer", arguments: Payload(Transfer(amount: 3, key: nil)), caller: .user(slot: 0))
        #expect(try typed.arguments(as: Transfer.self) == Transfer(amount: 3, key: nil))
    }
}
