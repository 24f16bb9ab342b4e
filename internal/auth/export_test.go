package auth

// HoldHashSlots takes every password-hashing slot of s until the returned
// function is called, so that a test sees what a login does when the server is
// busy hashing.
func HoldHashSlots(s *Service) (release func()) {
	n := cap(s.hashes.slots)
	for range n {
		s.hashes.slots <- struct{}{}
	}
	return func() {
		for range n {
			<-s.hashes.slots
		}
	}
}
