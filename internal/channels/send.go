package channels

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/duban/duban/internal/outbound"
)

// Message is what a robot says: a title, a body and a link to the object.
type Message struct {
	Title string `json:"title"`
	Body  string `json:"body"`
	// URL is the object in the web app (absolute when DUBAN_PUBLIC_URL is set).
	URL string `json:"url"`
}

// plain is the message as one text.
func (m Message) plain() string {
	s := m.Title + "\n" + m.Body
	if m.URL != "" {
		s += "\n" + m.URL
	}
	return s
}

// DingTalkSign is DingTalk's signature of a custom robot's request: base64 of
// HMAC-SHA256, keyed by the secret, of "timestamp\nsecret" (timestamp in
// milliseconds); sent URL-escaped as the query parameter sign.
func DingTalkSign(secret string, ms int64) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(ms, 10) + "\n" + secret))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// FeishuSign is Feishu's signature of a custom bot's request: base64 of
// HMAC-SHA256 keyed by "timestamp\nsecret" (timestamp in seconds) over an empty
// message; sent in the body's sign field.
func FeishuSign(secret string, sec int64) string {
	m := hmac.New(sha256.New, []byte(strconv.FormatInt(sec, 10)+"\n"+secret))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// request builds the platform's request for msg at now.
func request(ctx context.Context, c *Channel, msg Message, now time.Time) (*http.Request, error) {
	target := c.URL
	var body any
	switch c.Platform {
	case WeCom:
		// 企业微信群机器人: no signature (the key is in the URL).
		if c.MsgType == MsgMarkdown {
			md := "**" + mdEscape(msg.Title) + "**\n> " + strings.ReplaceAll(mdEscape(msg.Body), "\n", "\n> ")
			if msg.URL != "" {
				md += "\n[查看详情](" + msg.URL + ")"
			}
			body = map[string]any{"msgtype": "markdown", "markdown": map[string]string{"content": md}}
		} else {
			body = map[string]any{"msgtype": "text", "text": map[string]string{"content": msg.plain()}}
		}
	case DingTalk:
		if c.MsgType == MsgMarkdown {
			md := "#### " + mdEscape(msg.Title) + "\n\n" + mdEscape(msg.Body)
			if msg.URL != "" {
				md += "\n\n[查看详情](" + msg.URL + ")"
			}
			body = map[string]any{"msgtype": "markdown", "markdown": map[string]string{"title": msg.Title, "text": md}}
		} else {
			body = map[string]any{"msgtype": "text", "text": map[string]string{"content": msg.plain()}}
		}
		if c.Secret != "" {
			u, err := url.Parse(c.URL)
			if err != nil {
				return nil, err
			}
			ms := now.UnixMilli()
			q := u.Query()
			q.Set("timestamp", strconv.FormatInt(ms, 10))
			q.Set("sign", DingTalkSign(c.Secret, ms))
			u.RawQuery = q.Encode()
			target = u.String()
		}
	case Feishu:
		var m map[string]any
		if c.MsgType == MsgMarkdown {
			lines := [][]map[string]string{{{"tag": "text", "text": msg.Body}}}
			if msg.URL != "" {
				lines = append(lines, []map[string]string{{"tag": "a", "text": "查看详情", "href": msg.URL}})
			}
			m = map[string]any{"msg_type": "post", "content": map[string]any{"post": map[string]any{
				"zh_cn": map[string]any{"title": msg.Title, "content": lines}}}}
		} else {
			m = map[string]any{"msg_type": "text", "content": map[string]string{"text": msg.plain()}}
		}
		if c.Secret != "" {
			sec := now.Unix()
			m["timestamp"], m["sign"] = strconv.FormatInt(sec, 10), FeishuSign(c.Secret, sec)
		}
		body = m
	default:
		return nil, fmt.Errorf("unknown platform %q", c.Platform)
	}
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "Duban-Robots/1")
	return req, nil
}

// mdEscape keeps text from being read as links or emphasis.
func mdEscape(s string) string {
	return strings.NewReplacer("[", "［", "]", "］", "*", "＊", "`", "'").Replace(s)
}

// accepted reads the platform's answer: HTTP 2xx and a zero error code
// (errcode for WeCom and DingTalk, code for Feishu).
func accepted(platform string, r outbound.Result) error {
	if r.Err != nil {
		return r.Err
	}
	if r.Status < 200 || r.Status > 299 {
		return fmt.Errorf("HTTP %d: %s", r.Status, clip(r.Excerpt, 200))
	}
	var v struct {
		ErrCode *int   `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
		Code    *int   `json:"code"`
		Msg     string `json:"msg"`
	}
	if err := json.Unmarshal([]byte(r.Excerpt), &v); err != nil {
		return fmt.Errorf("the %s robot answered something else than JSON: %s", platform, clip(r.Excerpt, 200))
	}
	switch {
	case platform == Feishu && v.Code != nil && *v.Code != 0:
		return fmt.Errorf("feishu code %d: %s", *v.Code, v.Msg)
	case platform != Feishu && v.ErrCode != nil && *v.ErrCode != 0:
		return fmt.Errorf("%s errcode %d: %s", platform, *v.ErrCode, v.ErrMsg)
	}
	return nil
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
