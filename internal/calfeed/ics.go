package calfeed

import (
	"strings"
	"time"
	"unicode/utf8"
)

// writer builds an iCalendar (RFC 5545) document: CRLF line ends, content lines
// folded at 75 octets without splitting a UTF-8 character, TEXT values escaped.
type writer struct{ b strings.Builder }

// line writes one content line, folded: at most 75 octets per physical line,
// the continuation lines starting with a space.
func (w *writer) line(s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.b.WriteString(s[:cut])
		w.b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74
	}
	w.b.WriteString(s)
	w.b.WriteString("\r\n")
}

// text writes NAME:value with value as TEXT.
func (w *writer) text(name, value string) { w.line(name + ":" + escape(value)) }

var escaper = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

// escape makes a TEXT value (RFC 5545 §3.3.11).
func escape(s string) string { return escaper.Replace(s) }

func utc(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// vtimezone writes the VTIMEZONE of loc: its offsets and the changes between
// them over the years around now, each as its own STANDARD or DAYLIGHT
// observance (no rules: Go's zone data gives the transitions themselves). A zone
// without changes, like Asia/Shanghai today, has one STANDARD observance.
func (w *writer) vtimezone(loc *time.Location, now time.Time) {
	w.line("BEGIN:VTIMEZONE")
	w.line("TZID:" + loc.String())
	from := time.Date(now.Year()-1, 1, 1, 0, 0, 0, 0, loc)
	to := time.Date(now.Year()+3, 1, 1, 0, 0, 0, 0, loc)
	name, off := from.Zone()
	type change struct {
		at             time.Time
		fromOff, toOff int
		name           string
		dst            bool
	}
	var changes []change
	for t := from; t.Before(to); t = t.Add(24 * time.Hour) {
		next := t.Add(24 * time.Hour)
		if _, o := next.Zone(); o != off {
			// Bisect the day to the second of the change.
			lo, hi := t, next
			for hi.Sub(lo) > time.Second {
				mid := lo.Add(hi.Sub(lo) / 2)
				if _, o := mid.Zone(); o == off {
					lo = mid
				} else {
					hi = mid
				}
			}
			n, o2 := hi.Zone()
			changes = append(changes, change{at: hi, fromOff: off, toOff: o2, name: n, dst: hi.IsDST()})
			off = o2
		}
	}
	if len(changes) == 0 {
		w.observance("STANDARD", "19700101T000000", off, off, name)
	}
	for _, c := range changes {
		kind := "STANDARD"
		if c.dst {
			kind = "DAYLIGHT"
		}
		// DTSTART is the local time before the change, in the old offset.
		local := c.at.UTC().Add(time.Duration(c.fromOff) * time.Second)
		w.observance(kind, local.Format("20060102T150405"), c.fromOff, c.toOff, c.name)
	}
	w.line("END:VTIMEZONE")
}

func (w *writer) observance(kind, start string, from, to int, name string) {
	w.line("BEGIN:" + kind)
	w.line("DTSTART:" + start)
	w.line("TZOFFSETFROM:" + offset(from))
	w.line("TZOFFSETTO:" + offset(to))
	if name != "" && !strings.ContainsAny(name, "+-0123456789") {
		w.text("TZNAME", name)
	}
	w.line("END:" + kind)
}

func offset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	h, m := sec/3600, sec%3600/60
	return sign + two(h) + two(m)
}

func two(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }
