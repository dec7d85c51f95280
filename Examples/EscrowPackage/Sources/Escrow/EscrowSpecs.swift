import ICCore
import ICSpec

/// The escrow's specs: the buggy retry (no deduplication key) and its fix, each with the
/// number of retries as a parameter, as one catalogue to add to icmc's built-in one.
public enum Escrow {
    /// Canisters: C0 the escrow, C1 the ledger.
    static let escrow: CanisterId = 0, ledger: CanisterId = 1

    /// The seller never receives more than the price (the buyer approved twice the price, so
    /// the ledger itself would let a second transfer through).
    public static let sellerPaidOnce = ICProperty(
        name: "seller-paid-once", statement: "The seller receives the price at most once.", callKinds: [.bestEffort]
    ) { view in
        (view.programState(of: ledger, as: ICRC2Ledger.State.self)?.balances[Account.seller.number] ?? 0) <= EscrowCanister.price
    }

    /// Tokens are moved, never created or destroyed.
    public static let tokensConserved = ICProperty(
        name: "tokens-conserved", statement: "The ledger's total supply never changes.", callKinds: [.bestEffort]
    ) { view in
        (view.programState(of: ledger, as: ICRC2Ledger.State.self)?.balances.reduce(0, +) ?? 0) == 10
    }

    /// Every release is answered: once the escrow has an open call context, it eventually has
    /// none (under weak fairness of the system's own steps: deliveries, executions, expiry).
    public static let releaseAnswered = ICLivenessProperty(
        name: "release-answered", statement: "Every release call eventually gets a reply or a reject.",
        premise: { view in !view.contexts.filter { $0.canister == escrow }.isEmpty },
        goal: { view in view.contexts.filter { $0.canister == escrow }.isEmpty })

    /// The bounded system: one release, a lossy network (best-effort drops, early expiry), the
    /// clock up to 2 s with a 1 s timeout, and `retries` retries.
    public static func configuration(dedup: Bool, retries: Int) -> SystemConfiguration {
        SystemConfiguration(
            canisters: [
                CanisterSetup(EscrowCanister(ledger: ledger, useDedupKey: dedup, maxRetries: retries)),
                CanisterSetup(ICRC2Ledger(balances: [10, 0], allowances: [2 * EscrowCanister.price, 0])),
            ],
            ingress: [IngressMessage(to: escrow, "release")], faults: .lossy, limits: MessagingLimits(maxTime: 2))
    }

    static let retries = SpecParameter("retries", summary: "retries after SYS_UNKNOWN or SYS_TRANSIENT", range: 1 ... 3, default: 1)

    static func spec(dedup: Bool, retries: Int) -> Spec {
        Spec(
            name: dedup ? "E1-escrow-retry-fixed" : "E1-escrow-retry-buggy",
            summary: dedup
                ? "Escrow retries transfer_from with one dedup key (memo + created_at_time): the seller is paid once."
                : "Escrow retries transfer_from after SYS_UNKNOWN without a dedup key: the seller is paid twice.",
            details: "The escrow (C0) pays the seller the price from the buyer's account on an ICRC-2 ledger (C1) with a best-effort transfer_from (timeout 1 s) and retries up to \(retries) time(s) on SYS_UNKNOWN or SYS_TRANSIENT. The buyer approved twice the price. "
                + (dedup ? "Every attempt carries the same memo and created_at_time, and the ledger deduplicates within 10 s. Expected: holds."
                         : "No deduplication key: a retry after a dropped reply executes a second transfer. Expected: violated (seller-paid-once)."),
            category: .bugPattern, callKinds: [.bestEffort],
            configuration: configuration(dedup: dedup, retries: retries),
            properties: [sellerPaidOnce, tokensConserved], livenessProperties: [releaseAnswered],
            expectation: dedup ? .holds : .violated(property: sellerPaidOnce.name))
    }

    /// The escrow's catalogue: `ICMC.main(catalog: .builtIn + Escrow.catalog)`.
    public static let catalog = SpecCatalog(entries: [
        SpecCatalog.Entry(name: "E1-escrow-retry-buggy", parameters: [retries]) { spec(dedup: false, retries: $0["retries"] ?? 1) },
        SpecCatalog.Entry(name: "E1-escrow-retry-fixed", parameters: [retries]) { spec(dedup: true, retries: $0["retries"] ?? 1) },
    ])
}
