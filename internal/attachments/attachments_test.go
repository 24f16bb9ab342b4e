package attachments

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"mime"
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	t.Parallel()
	docx := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, name := range []string{"[Content_Types].xml", "word/document.xml"} {
			w, _ := zw.Create(name)
			io.WriteString(w, "<x/>")
		}
		zw.Close()
		return buf.Bytes()
	}()
	plainZip := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("evil.exe")
		io.WriteString(w, "MZ")
		zw.Close()
		return buf.Bytes()
	}()
	cases := []struct {
		name string
		head []byte
		ok   bool
	}{
		{"pdf", []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj"), true},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), true},
		{"chinese text", []byte("督办事项办理情况报告\n一、基本情况\n"), true},
		{"docx", docx, true},
		{"windows executable", append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 200)...), false},
		{"elf", []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00>\x00"), false},
		{"html", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), false},
		{"shell script", []byte("#!/bin/sh\nrm -rf /\n"), false},
		{"plain zip", plainZip, false},
	}
	for _, tc := range cases {
		if mt, ok := Detect(tc.head); ok != tc.ok {
			t.Errorf("%s: detected %s, allowed=%v, want %v", tc.name, mt, ok, tc.ok)
		}
	}
}

func TestContentDispositionKeepsChineseNames(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"整改方案（第二稿）.pdf", `a"b;c,d.pdf`, "report 2026.docx"} {
		h := ContentDisposition(name)
		disp, params, err := mime.ParseMediaType(h)
		if err != nil || disp != "attachment" {
			t.Fatalf("%q: %v %v", h, disp, err)
		}
		// Go's parser prefers filename* and decodes it.
		if params["filename"] != name {
			t.Errorf("%q decoded as %q", name, params["filename"])
		}
		enc := h[strings.Index(h, "filename*=UTF-8''")+len("filename*=UTF-8''"):]
		if strings.ContainsAny(enc, " ;\",") {
			t.Errorf("unencoded separator in %q", enc)
		}
	}
}

func TestCleanFilename(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"../../etc/passwd":       "passwd",
		`C:\Users\张三\方案.docx`:    "方案.docx",
		"":                       "file",
		"..":                     "file",
		"a\x00b\nc.pdf":          "abc.pdf",
		strings.Repeat("长", 300): strings.Repeat("长", 200),
	}
	for in, want := range cases {
		if got := CleanFilename(in); got != want {
			t.Errorf("CleanFilename(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLocalStorage(t *testing.T) {
	t.Parallel()
	s := LocalStorage{Dir: t.TempDir()}
	ctx := context.Background()
	if err := s.Put(ctx, "2026/11/abc", strings.NewReader("hello")); err != nil {
		t.Fatal(err)
	}
	rc, err := s.Open(ctx, "2026/11/abc")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "hello" {
		t.Fatalf("read %q", b)
	}
	for _, bad := range []string{"../x", "/etc/passwd", ""} {
		if err := s.Put(ctx, bad, strings.NewReader("x")); err == nil {
			t.Errorf("key %q accepted", bad)
		}
	}
	if err := s.Delete(ctx, "2026/11/abc"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(ctx, "2026/11/abc"); err != ErrNotStored {
		t.Fatalf("open after delete: %v", err)
	}
}
