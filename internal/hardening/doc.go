// Package hardening holds only tests: the defences of issue 14 (an outside security
// and fault test) checked through the real application on both engines — input
// with NUL bytes, request ids, HSTS, the metrics endpoint, the general rate limit,
// far-future dates, upload quotas, names and links, and the answers to database
// faults (503 with Retry-After, logged once per burst, readiness), request
// deadlines, client disconnects and full temporary directories.
package hardening
