import ICCore

extension ICSystem {
    /// `starveContext(_:)` — T8 call context starvation.
    ///
    /// A context that needs a response and is referenced by nothing (no open callback of a call it
    /// made, hence no request, response or downstream context that could still lead to a
    /// response) is answered with CANISTER_ERROR, refunding its available cycles. This is how a
    /// method that returned without replying, or trapped, gets its response (IC0506/IC0502).
    func starveContext(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        // By index, reading each context in place: `enumerated()` retained the array and copied
        // every context, and this rule looks at every context of every state.
        for index in 0..<state.callContexts.count {
            let context = state.storage.contexts.value.withUnsafeBufferPointer { $0[index] }
            guard context.needsToRespond, !state.isReferenced(context.id) else { continue }
            var next = state
            next.respond(context: index, with: .reject(.canisterError, ""), fromCallee: false, recordingRespondent: tracksResponseSlots)
            body(.starveContext(context.id), next)
            next.recycle()
        }
    }

    /// `removeContext(_:)` — T9 call context removal: an answered (or deleted) context that
    /// nothing references disappears; needed before a stopping canister can stop.
    func removeContext(_ state: ICState, _ body: (ICAction, ICState) -> Void) {
        for index in 0..<state.callContexts.count {
            let context = state.storage.contexts.value.withUnsafeBufferPointer { $0[index] }
            guard state.isRemovable(context) else { continue }
            var next = state
            next.removeContext(at: index)
            body(.removeContext(context.id), next)
            next.recycle()
        }
    }
}
