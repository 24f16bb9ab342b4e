// Package testidp runs a real OpenID Connect provider for tests: zitadel/oidc's op
// package (discovery, authorization with PKCE, token, userinfo and keys
// endpoints, signed ID tokens) with a small login page, over a
// real HTTP listener on loopback. Go tests start it with Start; the browser suite
// runs it as cmd/duban-testidp. It is never part of the duban binary.
package testidp

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// User is a person the provider knows.
type User struct {
	// ID is the subject (sub) of their tokens.
	ID       string `json:"id"`
	Username string `json:"username"`
	Password string `json:"password"`
	// Name is shown as name; given and family names are not used by Duban.
	Name          string `json:"name"`
	Email         string `json:"email"`
	EmailVerified bool   `json:"email_verified"`
	// Claims are added to the ID token and the userinfo answer (employee_number, ...).
	Claims map[string]any `json:"claims,omitempty"`
}

// Options configure the provider.
type Options struct {
	ClientID     string
	ClientSecret string
	// RedirectURIs the client may use.
	RedirectURIs []string
	Users        []User
}

// Server is a running provider.
type Server struct {
	// Issuer is its URL, e.g. http://127.0.0.1:41234.
	Issuer string
	srv    *http.Server
	store  *userStore
}

// Start listens on addr ("127.0.0.1:0" for any free port) and serves the
// provider until Close.
func Start(addr string, opts Options) (*Server, error) {
	if opts.ClientID == "" || opts.ClientSecret == "" || len(opts.RedirectURIs) == 0 {
		return nil, errors.New("testidp: client id, secret and redirect URIs are required")
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("testidp: listen: %w", err)
	}
	issuer := "http://" + l.Addr().String()
	us := &userStore{users: map[string]*User{}}
	for i := range opts.Users {
		u := opts.Users[i]
		us.users[u.ID] = &u
	}
	client := storage.WebClient(opts.ClientID, opts.ClientSecret, opts.RedirectURIs...)
	st := &claimStorage{Storage: storage.NewStorageWithClients(us, map[string]*storage.Client{opts.ClientID: client}), users: us}
	router, err := setup(issuer, st)
	if err != nil {
		_ = l.Close()
		return nil, err
	}
	s := &Server{Issuer: issuer, srv: &http.Server{Handler: router, ReadHeaderTimeout: 10 * time.Second}, store: us}
	go func() { _ = s.srv.Serve(l) }()
	return s, nil
}

// setup is the example server's SetupServer without its request logging (which
// writes to the process-wide logger) and device flow: the provider (PKCE S256,
// client secret by basic auth or form post) and its login page under /login/.
func setup(issuer string, st *claimStorage) (http.Handler, error) {
	key := sha256.Sum256([]byte("duban-testidp"))
	provider, err := op.NewProvider(&op.Config{
		CryptoKey: key, CodeMethodS256: true, AuthMethodPost: true,
		SupportedUILocales: []language.Tag{language.Chinese},
	}, st, op.StaticIssuer(issuer), op.WithAllowInsecure(), op.WithCustomAuthEndpoint(op.NewEndpoint("auth")))
	if err != nil {
		return nil, fmt.Errorf("testidp: provider: %w", err)
	}
	router := chi.NewRouter()
	callback := op.AuthCallbackURL(provider)
	interceptor := op.NewIssuerInterceptor(provider.IssuerFromRequest)
	router.Get("/login/username", func(w http.ResponseWriter, r *http.Request) {
		renderLogin(w, r.URL.Query().Get("authRequestID"), "")
	})
	router.Post("/login/username", interceptor.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		id := r.FormValue("id")
		if err := st.CheckUsernamePassword(r.FormValue("username"), r.FormValue("password"), id); err != nil {
			renderLogin(w, id, "用户名或密码错误")
			return
		}
		http.Redirect(w, r, callback(r.Context(), id), http.StatusFound)
	}))
	router.Mount("/", provider)
	return router, nil
}

var loginPage = template.Must(template.New("login").Parse(`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>统一身份认证 · 测试身份提供者</title></head>
<body style="font-family:sans-serif;display:flex;justify-content:center;margin-top:10vh">
<form method="POST" action="/login/username" style="width:280px">
<h1 style="font-size:20px">统一身份认证</h1>
<input type="hidden" name="id" value="{{.ID}}">
<p><label for="username">账号</label><br><input id="username" name="username" autocomplete="username" style="width:100%"></p>
<p><label for="password">密码</label><br><input id="password" name="password" type="password" autocomplete="current-password" style="width:100%"></p>
<p style="color:#b00" role="alert">{{.Error}}</p>
<button type="submit" id="idp-submit">登录</button>
</form></body></html>`))

func renderLogin(w http.ResponseWriter, id, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = loginPage.Execute(w, struct{ ID, Error string }{id, msg})
}

// Close stops the server.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}

// SetUser adds or replaces a user while the provider runs.
func (s *Server) SetUser(u User) { s.store.set(&u) }

// userStore implements the example storage's UserStore over our users.
type userStore struct {
	mu    sync.Mutex
	users map[string]*User
}

func (u *userStore) set(x *User) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.users[x.ID] = x
}

func (u *userStore) get(id string) *User {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.users[id]
}

func (u *userStore) convert(x *User) *storage.User {
	if x == nil {
		return nil
	}
	return &storage.User{ID: x.ID, Username: x.Username, Password: x.Password, FirstName: x.Name,
		Email: x.Email, EmailVerified: x.EmailVerified, PreferredLanguage: language.Chinese}
}

func (u *userStore) GetUserByID(id string) *storage.User { return u.convert(u.get(id)) }

func (u *userStore) GetUserByUsername(name string) *storage.User {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, x := range u.users {
		if x.Username == name {
			return u.convert(x)
		}
	}
	return nil
}

func (u *userStore) ExampleClientID() string { return "service" }

// claimStorage is the example storage with the users' extra claims and a plain
// display name in the ID token and the userinfo answer.
type claimStorage struct {
	*storage.Storage
	users *userStore
}

func (s *claimStorage) addClaims(info *oidc.UserInfo, subject string) {
	u := s.users.get(subject)
	if u == nil {
		return
	}
	if info.Name != "" {
		info.Name = u.Name
	}
	for k, v := range u.Claims {
		info.AppendClaims(k, v)
	}
}

// SetUserinfoFromRequest fills the ID token.
func (s *claimStorage) SetUserinfoFromRequest(ctx context.Context, info *oidc.UserInfo, token op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, info, token, scopes); err != nil {
		return err
	}
	s.addClaims(info, token.GetSubject())
	return nil
}

// SetUserinfoFromToken fills the userinfo answer.
func (s *claimStorage) SetUserinfoFromToken(ctx context.Context, info *oidc.UserInfo, tokenID, subject, origin string) error {
	if err := s.Storage.SetUserinfoFromToken(ctx, info, tokenID, subject, origin); err != nil {
		return err
	}
	s.addClaims(info, subject)
	return nil
}
