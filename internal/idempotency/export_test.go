package idempotency

// RecordID exposes the record key to the external tests.
var RecordID = recordID

// CrashBeforeCommit makes s run f after the handler and before the commit; a
// panic in f stands for the process dying there.
func CrashBeforeCommit(s *Store, f func()) { s.beforeCommit = f }
