// Command loadtest drives a running Duban server for the measurements of issue 14
// (scripts/security/measure.sh runs it): parallel guesses of one password, memory
// under parallel logins, a load of readers or writers with latency percentiles and
// status counts, an upload, and keyed POSTs for the idempotency crash test.
//
//	go run ./scripts/security/loadtest <command> [flags]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: loadtest bruteforce|logins|hammer|upload|idem [flags]")
		os.Exit(2)
	}
	cmd, args := os.Args[1], os.Args[2:]
	var err error
	switch cmd {
	case "bruteforce":
		err = bruteforce(args)
	case "logins":
		err = logins(args)
	case "hammer":
		err = hammer(args)
	case "upload":
		err = uploadOne(args)
	case "idem":
		err = idem(args)
	case "token":
		err = token(args)
	case "unit":
		err = unit(args)
	case "count":
		err = count(args)
	default:
		err = fmt.Errorf("unknown command %q", cmd)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

var client = &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}

func post(url, tok string, body any, headers ...string) (int, []byte, time.Duration, error) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return send(req)
}

func send(req *http.Request) (int, []byte, time.Duration, error) {
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, time.Since(start), err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, time.Since(start), nil
}

func login(base, user, pw string) (string, error) {
	st, b, _, err := post(base+"/api/v1/auth/login", "", map[string]string{"username": user, "password": pw})
	if err != nil || st != 200 {
		return "", fmt.Errorf("login %s: %d %s %v", user, st, b, err)
	}
	var out struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.Unmarshal(b, &out)
	return out.AccessToken, nil
}

// unit prints the id of the org unit named -name.
func unit(args []string) error {
	fs := flag.NewFlagSet("unit", flag.ExitOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "server")
	tok := fs.String("token", "", "access token")
	name := fs.String("name", "规划发展部", "unit name")
	_ = fs.Parse(args)
	id, err := unitID(*base, *tok, *name)
	if err == nil {
		fmt.Println(id)
	}
	return err
}

// count prints how many items have a title starting with -prefix and how many
// titles were made more than once.
func count(args []string) error {
	fs := flag.NewFlagSet("count", flag.ExitOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "server")
	tok := fs.String("token", "", "access token")
	prefix := fs.String("prefix", "crash", "title prefix")
	_ = fs.Parse(args)
	n, dup, err := countTitles(*base, *tok, *prefix)
	if err == nil {
		fmt.Printf("items titled %s-*: %d, executed more than once: %d\n", *prefix, n, dup)
	}
	return err
}

// token prints an access token for user.
func token(args []string) error {
	fs := flag.NewFlagSet("token", flag.ExitOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "server")
	user := fs.String("user", "duban", "username")
	pw := fs.String("password", "Demo@2026", "password")
	_ = fs.Parse(args)
	t, err := login(*base, *user, *pw)
	if err == nil {
		fmt.Println(t)
	}
	return err
}

// counts is a status histogram, printed sorted.
type counts struct {
	mu sync.Mutex
	m  map[int]int
}

func (c *counts) add(st int) {
	c.mu.Lock()
	if c.m == nil {
		c.m = map[int]int{}
	}
	c.m[st]++
	c.mu.Unlock()
}

func (c *counts) String() string {
	keys := make([]int, 0, len(c.m))
	for k := range c.m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := []string{}
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d×%d", c.m[k], k))
	}
	return strings.Join(parts, " ")
}

// bruteforce sends n wrong passwords for one user at once.
func bruteforce(args []string) error {
	fs := flag.NewFlagSet("bruteforce", flag.ExitOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "server")
	user := fs.String("user", "duban", "username")
	n := fs.Int("n", 30, "parallel guesses")
	_ = fs.Parse(args)
	var c counts
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range *n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			st, _, _, _ := post(*base+"/api/v1/auth/login", "", map[string]string{"username": *user, "password": "Wrong-guess-" + strconv.Itoa(i)})
			c.add(st)
		}()
	}
	close(start)
	wg.Wait()
	fmt.Printf("%d parallel wrong passwords for %s: %s (401 = checked, 429 = refused before hashing, 503 = server busy)\n", *n, *user, &c)
	return nil
}

// rss reads the resident set size of pid in MiB.
func rss(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			kb, _ := strconv.Atoi(f[1])
			return float64(kb) / 1024
		}
	}
	return -1
}

// logins runs rounds of n parallel correct logins and prints the server's RSS.
func logins(args []string) error {
	fs := flag.NewFlagSet("logins", flag.ExitOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "server")
	pid := fs.Int("pid", 0, "server process id")
	users := fs.String("users", "duban", "comma-separated usernames to log in as, in turn")
	pw := fs.String("password", "Demo@2026", "password")
	n := fs.Int("n", 40, "parallel logins per round")
	rounds := fs.Int("rounds", 2, "rounds")
	_ = fs.Parse(args)
	names := strings.Split(*users, ",")
	fmt.Printf("RSS before: %.0f MiB\n", rss(*pid))
	peak := 0.0
	for r := 1; r <= *rounds; r++ {
		var c counts
		var wg sync.WaitGroup
		stop := make(chan struct{})
		go func() {
			for {
				select {
				case <-stop:
					return
				case <-time.After(5 * time.Millisecond):
					peak = max(peak, rss(*pid))
				}
			}
		}()
		for i := range *n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				st, _, _, _ := post(*base+"/api/v1/auth/login", "", map[string]string{"username": names[i%len(names)], "password": *pw})
				c.add(st)
			}()
		}
		wg.Wait()
		close(stop)
		fmt.Printf("round %d: %d parallel logins: %s; RSS after %.0f MiB (peak %.0f MiB)\n", r, *n, &c, rss(*pid), peak)
	}
	time.Sleep(15 * time.Second)
	fmt.Printf("RSS 15 s later: %.0f MiB\n", rss(*pid))
	return nil
}

// hammer runs c concurrent clients for d, reading or writing, and prints the
// status counts and latency percentiles.
func hammer(args []string) error {
	fs := flag.NewFlagSet("hammer", flag.ExitOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "server")
	tok := fs.String("token", "", "access token")
	kind := fs.String("kind", "read", "read (GET /items) or write (POST /items)")
	conc := fs.Int("c", 64, "concurrent clients")
	dur := fs.Duration("d", 20*time.Second, "duration")
	lead := fs.String("lead", "", "lead unit id for writes")
	deadline := fs.String("deadline", "", "deadline for writes (YYYY-MM-DD)")
	_ = fs.Parse(args)
	var (
		c    counts
		mu   sync.Mutex
		lats []time.Duration
		errs int
	)
	ctx, cancel := context.WithTimeout(context.Background(), *dur)
	defer cancel()
	var wg sync.WaitGroup
	for w := range *conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				var (
					st  int
					lat time.Duration
					err error
				)
				if *kind == "write" {
					st, _, lat, err = post(*base+"/api/v1/items", *tok, map[string]any{
						"title": fmt.Sprintf("压测事项 %d-%d", w, i), "content": "负载测试", "category": "important_matter",
						"source": "board", "lead_unit_id": *lead, "deadline": *deadline,
					})
				} else {
					req, _ := http.NewRequest("GET", *base+"/api/v1/items?page_size=20", nil)
					req.Header.Set("Authorization", "Bearer "+*tok)
					st, _, lat, err = send(req)
				}
				if err != nil {
					mu.Lock()
					errs++
					mu.Unlock()
					time.Sleep(10 * time.Millisecond)
					continue
				}
				c.add(st)
				mu.Lock()
				lats = append(lats, lat)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	slices.Sort(lats)
	pct := func(p float64) time.Duration {
		if len(lats) == 0 {
			return 0
		}
		return lats[min(len(lats)-1, int(float64(len(lats))*p))]
	}
	fmt.Printf("%s × %d clients for %s: %d requests (%s), %d transport errors; latency p50 %s p99 %s max %s\n",
		*kind, *conc, *dur, len(lats), &c, errs, pct(0.5).Round(time.Millisecond), pct(0.99).Round(time.Millisecond),
		pct(1).Round(time.Millisecond))
	return nil
}

// uploadOne uploads a file of size bytes (a PDF header and zeros) and prints the answer.
func uploadOne(args []string) error {
	fs := flag.NewFlagSet("upload", flag.ExitOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "server")
	tok := fs.String("token", "", "access token")
	item := fs.String("item", "", "item id")
	size := fs.Int("size", 9<<20, "bytes")
	_ = fs.Parse(args)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("item_id", *item)
	fw, _ := mw.CreateFormFile("file", "压测.pdf")
	content := append([]byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), bytes.Repeat([]byte("0"), *size)...)
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", *base+"/api/v1/attachments", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+*tok)
	st, b, _, err := send(req)
	if err != nil {
		return err
	}
	fmt.Printf("upload of %d bytes: %d %s\n", *size, st, b)
	return nil
}

// idem sends n POST /items at once, each with its own Idempotency-Key (prefix-i)
// and title (the key), and prints the statuses. Run it, kill the server, start it
// again and run it again with the same prefix: every key must end up with one item.
func idem(args []string) error {
	fs := flag.NewFlagSet("idem", flag.ExitOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "server")
	tok := fs.String("token", "", "access token")
	prefix := fs.String("prefix", "crash", "key prefix")
	n := fs.Int("n", 200, "requests")
	lead := fs.String("lead", "", "lead unit id")
	deadline := fs.String("deadline", "", "deadline")
	_ = fs.Parse(args)
	var c counts
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	for i := range *n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			key := fmt.Sprintf("%s-%d", *prefix, i)
			st, _, _, err := post(*base+"/api/v1/items", *tok, map[string]any{
				"title": key, "content": "幂等测试", "category": "important_matter", "source": "board",
				"lead_unit_id": *lead, "deadline": *deadline,
			}, "Idempotency-Key", key)
			if err != nil {
				st = 0 // the server died under the request
			}
			c.add(st)
		}()
	}
	wg.Wait()
	fmt.Printf("%d keyed POSTs: %s (0 = no answer)\n", *n, &c)
	return nil
}

func get(url, tok string, out any) error {
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	st, b, _, err := send(req)
	if err != nil || st != 200 {
		return fmt.Errorf("GET %s: %d %s %v", url, st, b, err)
	}
	return json.Unmarshal(b, out)
}

// unitID finds an org unit by name.
func unitID(base, tok, name string) (string, error) {
	var page struct {
		Data []struct{ ID, Name string } `json:"data"`
	}
	if err := get(base+"/api/v1/org-units?page_size=100", tok, &page); err != nil {
		return "", err
	}
	for _, u := range page.Data {
		if u.Name == name {
			return u.ID, nil
		}
	}
	return "", fmt.Errorf("no unit named %s", name)
}

// countTitles counts the items whose title starts with prefix, and how many titles
// occur more than once (a request executed twice).
func countTitles(base, tok, prefix string) (items, dup int, err error) {
	seen := map[string]int{}
	for p := 1; ; p++ {
		var page struct {
			Data []struct {
				Title string `json:"title"`
			} `json:"data"`
		}
		if err := get(fmt.Sprintf("%s/api/v1/items?q=%s&page_size=100&page=%d", base, prefix, p), tok, &page); err != nil {
			return 0, 0, err
		}
		for _, it := range page.Data {
			if strings.HasPrefix(it.Title, prefix) {
				seen[it.Title]++
				items++
			}
		}
		if len(page.Data) < 100 {
			break
		}
	}
	for _, n := range seen {
		if n > 1 {
			dup++
		}
	}
	return items, dup, nil
}
