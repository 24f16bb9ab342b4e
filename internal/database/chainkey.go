package database

import "sync/atomic"

// chainKey is the key that seals the audit trails written through a handle (see
// package audit): it belongs with the handle, so that every service writing
// through it seals with the same key.
type chainKey struct{ p atomic.Pointer[[]byte] }

// SetChainKey sets the audit chains' key of db.
func (db *DB) SetChainKey(key []byte) { db.key.p.Store(&key) }

// ChainKey returns the audit chains' key of db, or nil.
func (db *DB) ChainKey() []byte {
	if k := db.key.p.Load(); k != nil {
		return *k
	}
	return nil
}
