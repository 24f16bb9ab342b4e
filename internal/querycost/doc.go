// Package querycost holds tests only: what a request costs in database statements
// (counted per request with database.QueryCounter through apitest.Env.Queries).
// The targets of issue 10 are asserted as counts, never as times: authentication
// on a warm cache, reading an item, a state action, and a comment whose cost does
// not grow with the reports on the item.
//
//	go test ./internal/querycost -run Cost -v
//
// prints every count measured.
package querycost
