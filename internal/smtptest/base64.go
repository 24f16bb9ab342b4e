package smtptest

import (
	"encoding/base64"
	"io"
	"strings"
)

// newBase64 decodes a base64 body whose lines are broken (RFC 2045).
func newBase64(r io.Reader) io.Reader {
	return base64.NewDecoder(base64.StdEncoding, &stripNewlines{r: r})
}

type stripNewlines struct{ r io.Reader }

func (s *stripNewlines) Read(p []byte) (int, error) {
	for {
		n, err := s.r.Read(p)
		if n == 0 {
			return 0, err
		}
		out := strings.NewReplacer("\r", "", "\n", "").Replace(string(p[:n]))
		copy(p, out)
		if len(out) > 0 || err != nil {
			return len(out), err
		}
	}
}
