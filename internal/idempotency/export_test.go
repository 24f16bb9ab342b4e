package idempotency

// RecordID exposes the record key to the external tests.
var RecordID = recordID
