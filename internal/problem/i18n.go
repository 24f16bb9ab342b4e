package problem

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Languages the API answers in. English is the default: API clients that send no
// Accept-Language get the wording of the code base; the SPA always sends its own.
const (
	LangEn = "en"
	LangZh = "zh-CN"
)

// The domain writes its messages in English, as it always did; the HTTP edge renders
// a problem in the caller's language with Localize. Messages (messages.go) maps every
// English message to its Chinese text. A message built from values is registered as a
// template whose {name} placeholders match any text: "must be at most {n} characters"
// matches "must be at most 200 characters", and the value is carried into the Chinese
// template ("不能超过 {n} 个字符"), translated first when it is one of Terms (the
// names of things and actions: "item" → "事项"). So call sites keep plain strings,
// fmt.Sprintf and concatenations, and one catalogue says every message in both
// languages; TestSourceMessagesTranslated finds the call sites' messages in the
// source and fails for one the catalogue does not translate.

// Localize answers a copy of p in lang: title, detail and field messages. English
// (or any language other than Chinese) leaves p as it is.
func Localize(p *Problem, lang string) *Problem {
	if lang != LangZh {
		return p
	}
	cp := *p
	english := p.Errors
	if len(english) > 0 {
		cp.Errors = make([]FieldError, len(english))
		for i, e := range english {
			e.Message = Translate(e.Message, lang)
			cp.Errors[i] = e
		}
	}
	switch {
	case p.Kind == KindInvalid && len(english) > 0 && p.Detail == invalidDetail(english):
		cp.Detail = invalidDetailZh(cp.Errors)
	default:
		cp.Detail = Translate(p.Detail, lang)
	}
	cp.Title = translateTitle(p.Title, p.Status)
	// reasons (a unit in use) are messages too
	if reasons, ok := p.Extra["reasons"].([]string); ok {
		cp.Extra = make(map[string]any, len(p.Extra))
		for k, v := range p.Extra {
			cp.Extra[k] = v
		}
		zh := make([]string, len(reasons))
		for i, r := range reasons {
			zh[i] = Translate(r, lang)
		}
		cp.Extra["reasons"] = zh
	}
	return &cp
}

// Translate is msg in lang: the registered translation, or msg itself when none
// (an English message the catalogue lacks stays readable, if not in Chinese).
func Translate(msg, lang string) string {
	if lang != LangZh || msg == "" {
		return msg
	}
	if zh, ok := catalogue().exact[msg]; ok {
		return zh
	}
	for _, t := range catalogue().templates {
		m := t.re.FindStringSubmatch(msg)
		if m == nil {
			continue
		}
		out := t.zh
		for i, name := range t.re.SubexpNames() {
			if name == "" {
				continue
			}
			out = strings.ReplaceAll(out, "{"+name+"}", term(m[i]))
		}
		return out
	}
	return msg
}

// Translated reports whether the catalogue has msg in Chinese.
func Translated(msg string) bool {
	if _, ok := catalogue().exact[msg]; ok {
		return true
	}
	for _, t := range catalogue().templates {
		if t.re.MatchString(msg) {
			return true
		}
	}
	return false
}

// term translates a value carried into a template when it names a thing or an action.
// A value that is itself a message, or a "; " list of messages (the reasons a unit
// is in use), is translated as one; each level is shorter than the message it came
// from, so this ends.
func term(v string) string {
	if zh, ok := Terms[v]; ok {
		return zh
	}
	parts := strings.Split(v, "; ")
	changed := false
	for i, part := range parts {
		if zh := Translate(part, LangZh); zh != part {
			parts[i], changed = zh, true
		}
	}
	if changed {
		return strings.Join(parts, "；")
	}
	return v
}

func invalidDetail(errs []FieldError) string {
	d := errs[0].Field + ": " + errs[0].Message
	if len(errs) > 1 {
		d += fmt.Sprintf(" (and %d more)", len(errs)-1)
	}
	return d
}

func invalidDetailZh(errs []FieldError) string {
	d := errs[0].Field + "：" + errs[0].Message
	if len(errs) > 1 {
		d += fmt.Sprintf("（另有 %d 项）", len(errs)-1)
	}
	return d
}

// titlesZh are the titles in Chinese, by the English title the edge sets (the status
// text, or "Validation failed").
var titlesZh = map[string]string{
	"Validation failed":                               "校验失败",
	http.StatusText(http.StatusBadRequest):            "请求有误",
	http.StatusText(http.StatusUnauthorized):          "未认证",
	http.StatusText(http.StatusForbidden):             "无权操作",
	http.StatusText(http.StatusNotFound):              "未找到",
	http.StatusText(http.StatusMethodNotAllowed):      "不支持的请求方法",
	http.StatusText(http.StatusNotAcceptable):         "无法提供所需格式",
	http.StatusText(http.StatusConflict):              "状态冲突",
	http.StatusText(http.StatusPreconditionFailed):    "版本已过时",
	http.StatusText(http.StatusRequestEntityTooLarge): "请求体过大",
	http.StatusText(http.StatusUnsupportedMediaType):  "不支持的媒体类型",
	http.StatusText(http.StatusUnprocessableEntity):   "校验失败",
	http.StatusText(http.StatusPreconditionRequired):  "缺少版本前提",
	http.StatusText(http.StatusTooManyRequests):       "请求过于频繁",
	http.StatusText(http.StatusInternalServerError):   "服务器内部错误",
	http.StatusText(http.StatusServiceUnavailable):    "服务暂不可用",
	http.StatusText(http.StatusInsufficientStorage):   "存储空间不足",
}

func translateTitle(title string, status int) string {
	if zh, ok := titlesZh[title]; ok {
		return zh
	}
	if zh, ok := titlesZh[http.StatusText(status)]; ok && title == "" {
		return zh
	}
	return title
}

type template struct {
	re *regexp.Regexp
	zh string
	// literal is the length of the template's fixed text: longer ones are more
	// specific and are tried first ("must be at least {n} characters" before
	// "must be at least {n}").
	literal int
}

type compiled struct {
	exact     map[string]string
	templates []template
}

var (
	compileOnce sync.Once
	compiledCat compiled
)

var placeholder = regexp.MustCompile(`\{([a-z_]+)\}`)

func catalogue() *compiled {
	compileOnce.Do(func() {
		compiledCat = compiled{exact: map[string]string{}}
		for en, zh := range Messages {
			locs := placeholder.FindAllStringSubmatchIndex(en, -1)
			if len(locs) == 0 {
				compiledCat.exact[en] = zh
				continue
			}
			var b strings.Builder
			b.WriteString("^")
			last, literal := 0, 0
			for _, l := range locs {
				b.WriteString(regexp.QuoteMeta(en[last:l[0]]))
				literal += l[0] - last
				b.WriteString("(?P<" + en[l[2]:l[3]] + ">.+?)")
				last = l[1]
			}
			b.WriteString(regexp.QuoteMeta(en[last:]) + "$")
			literal += len(en) - last
			compiledCat.templates = append(compiledCat.templates,
				template{re: regexp.MustCompile("(?s)" + b.String()), zh: zh, literal: literal})
		}
		sort.SliceStable(compiledCat.templates, func(i, j int) bool {
			a, b := compiledCat.templates[i], compiledCat.templates[j]
			if a.literal != b.literal {
				return a.literal > b.literal
			}
			return a.re.String() < b.re.String()
		})
	})
	return &compiledCat
}

// Placeholders are the {name}s of a template, sorted (for the tests).
func Placeholders(tmpl string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(tmpl, -1) {
		out = append(out, m[1])
	}
	sort.Strings(out)
	return out
}
