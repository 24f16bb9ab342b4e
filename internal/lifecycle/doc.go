// Package lifecycle holds only tests: the whole life of a supervision item walked
// over HTTP on both databases, each step taken by the person the regulation gives
// it to, with real logins — issue, accept, feedback and its review, urging, an
// extension (and one refused after the deadline), completion (rejected, then
// approved), a failed verification that reopens the item, completion again,
// verification passed, archive — checking at each step what the to-do list
// (GET /me/todo) shows to whom, the forbidden variants, and at the end the item's
// timeline and the hash chains of every timeline (items.VerifyChain, what
// `duban audit verify` runs).
package lifecycle
