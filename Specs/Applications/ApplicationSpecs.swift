import ICCore
import ICSpec

/// Realistic applications built from the library's programs.
public enum ApplicationSpecs {
    public static var all: [Spec] { ExchangeSpecs.specs + SharedCounterSpecs.specs + ICRC2Approve.specs + CkBTCWithdrawal.specs + TwoLedgerSwap.specs }
}
