import ModelChecking

extension ICState {
    /// Reads the boxed components' fingerprints without retaining them where they are known
    /// already (`FingerprintCached.knownFingerprint`): a retain and a release per component
    /// were a third of this function.
    ///
    /// Into a fresh hasher (a state's own fingerprint), the words are remembered in the box and
    /// replayed the next time (`ICStateStorage.knownDigest`); the words are the same either way.
    public func fingerprint(into hasher: inout FingerprintHasher) {
        let storage = storage
        guard hasher.isFresh else {
            Self.combineFields(of: storage, into: &hasher)
            return
        }
        if let known = storage.knownDigest {
            hasher = known
            return
        }
        Self.combineFields(of: storage, into: &hasher)
        storage.rememberDigest(hasher)
    }

    @inline(__always)
    fileprivate static func combineFields(of storage: ICStateStorage, into hasher: inout FingerprintHasher) {
        let canisters = storage.canisters.knownFingerprint
        hasher.combine(canisters != 0 ? canisters : storage.canisters.fingerprint)
        let queues = storage.queues.knownFingerprint
        hasher.combine(queues != 0 ? queues : storage.queues.fingerprint)
        let responses = storage.responses.knownFingerprint
        hasher.combine(responses != 0 ? responses : storage.responses.fingerprint)
        let contexts = storage.contexts.knownFingerprint
        hasher.combine(contexts != 0 ? contexts : storage.contexts.fingerprint)
        let callbacks = storage.callbacks.knownFingerprint
        hasher.combine(callbacks != 0 ? callbacks : storage.callbacks.fingerprint)
        hasher.combine(storage.ingress)
        hasher.combine(storage.now)
        hasher.combine(storage.lostCycles)
        let history = storage.history.knownFingerprint
        hasher.combine(history != 0 ? history : storage.history.fingerprint)
        hasher.combine(storage.controllerActionsUsed)
        hasher.combine(storage.initialTotalCycles)
        // Only when there are any: states without monitors keep their fingerprints.
        if !storage.monitors.isEmpty { hasher.combine(storage.monitors) }
    }
}
