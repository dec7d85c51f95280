---------------------------- MODULE RefundGuard ----------------------------
(***************************************************************************)
(* Hand-abstracted TLA+ model of the library's B1 protocol (B1-reentrancy) *)
(* run with guaranteed calls and no faults: a refund service (C0) pays a   *)
(* user's refund through a ledger (C1).  The user sends Requests refund    *)
(* requests.  The service rejects a request if the refund was recorded or, *)
(* in the fixed version (Guarded), is in flight; otherwise it takes the    *)
(* guard and calls the ledger's transfer.  The callback releases the guard *)
(* and records the refund if the ledger replied.                           *)
(*                                                                         *)
(* The IC is abstracted the way a protocol model usually is: an ingress    *)
(* message runs at once; requests from the service to the ledger are a     *)
(* FIFO queue (per-pair order, P3); responses come back in any order (a    *)
(* set); a call context is gone as soon as it has answered; calls are      *)
(* named by the ingress request that made them.  icmc's counterpart is     *)
(* Tests/SpecsTests/TLAComparisonTests.swift, which also holds a           *)
(* transliteration of this module (docs/performance.md, "icmc against a    *)
(* hand-abstracted TLA+ model").                                           *)
(***************************************************************************)
EXTENDS Naturals, Sequences

CONSTANTS Requests, Guarded

User == 2
Amount == 5
Accounts == 0..2
Req == 1..Requests

VARIABLES
    ingress,    \* ingress[r]: "unsent", "waiting", "replied" or "rejected"
    refunded,   \* the service recorded User's refund
    inFlight,   \* the service's guard: User's refund is in flight
    balances,   \* the ledger's balances
    toLedger,   \* transfer requests from the service, in send order
    toService   \* responses of the ledger not yet delivered: [req, ok] records

vars == <<ingress, refunded, inFlight, balances, toLedger, toService>>

Init ==
    /\ ingress = [r \in Req |-> "unsent"]
    /\ refunded = FALSE
    /\ inFlight = FALSE
    /\ balances = [a \in Accounts |-> IF a = 0 THEN 20 ELSE 0]
    /\ toLedger = <<>>
    /\ toService = {}

\* The service executes ingress request r (the message executes when it arrives).
Refund(r) ==
    /\ ingress[r] = "unsent"
    /\ IF refunded \/ (Guarded /\ inFlight)
         THEN /\ ingress' = [ingress EXCEPT ![r] = "rejected"]
              /\ UNCHANGED <<refunded, inFlight, balances, toLedger, toService>>
         ELSE /\ ingress' = [ingress EXCEPT ![r] = "waiting"]
              /\ inFlight' = (inFlight \/ Guarded)
              /\ toLedger' = Append(toLedger, r)
              /\ UNCHANGED <<refunded, balances, toService>>

\* The ledger executes the oldest transfer request: it pays Amount from the
\* service's account (0) to User, or rejects on insufficient funds.
Transfer ==
    /\ toLedger /= <<>>
    /\ LET r == Head(toLedger) IN
         IF balances[0] >= Amount
           THEN /\ balances' = [balances EXCEPT ![0] = @ - Amount, ![User] = @ + Amount]
                /\ toService' = toService \union {[req |-> r, ok |-> TRUE]}
           ELSE /\ UNCHANGED balances
                /\ toService' = toService \union {[req |-> r, ok |-> FALSE]}
    /\ toLedger' = Tail(toLedger)
    /\ UNCHANGED <<ingress, refunded, inFlight>>

\* The service's callback for response m answers the request that made the call.
Callback(m) ==
    /\ m \in toService
    /\ toService' = toService \ {m}
    /\ inFlight' = FALSE
    /\ IF m.ok
         THEN /\ refunded' = TRUE
              /\ ingress' = [ingress EXCEPT ![m.req] = "replied"]
         ELSE /\ UNCHANGED refunded
              /\ ingress' = [ingress EXCEPT ![m.req] = "rejected"]
    /\ UNCHANGED <<balances, toLedger>>

Next ==
    \/ \E r \in Req : Refund(r)
    \/ Transfer
    \/ \E m \in toService : Callback(m)

Spec == Init /\ [][Next]_vars

\* The claim of B1: User is paid at most one refund.
NoDoubleRefund == balances[User] <= Amount
=============================================================================
