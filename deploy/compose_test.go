package deploy_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// docker-compose.yml validates with `docker-compose config` (Compose v1, Debian's
// docker-compose package: the Compose v2 plugin is not packaged there), and the
// deployment it describes keeps its promises: secrets without defaults, two API
// processes and a worker, each believing X-Forwarded-For from nginx's own address
// only.
func TestComposeFileValidates(t *testing.T) {
	t.Parallel()
	bin, err := exec.LookPath("docker-compose")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("docker-compose is required under CI=true (apt-get install docker-compose)")
		}
		t.Skip("docker-compose not installed (apt-get install docker-compose)")
	}
	compose := func(env ...string) (string, error) {
		cmd := exec.Command(bin, "-f", "../docker-compose.yml", "--project-directory", "..", "config")
		cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	// Without the secrets the file refuses to start anything.
	for _, missing := range []string{"POSTGRES_PASSWORD", "DUBAN_JWT_SECRET"} {
		env := []string{"POSTGRES_PASSWORD=pw", "DUBAN_JWT_SECRET=jwt-secret-jwt-secret-jwt-secret-0123"}
		for i, kv := range env {
			if strings.HasPrefix(kv, missing+"=") {
				env = append(env[:i], env[i+1:]...)
				break
			}
		}
		if out, err := compose(env...); err == nil || !strings.Contains(out, missing) {
			t.Fatalf("config without %s: %v\n%s", missing, err, out)
		}
	}
	out, err := compose("POSTGRES_PASSWORD=pw", "DUBAN_JWT_SECRET=jwt-secret-jwt-secret-jwt-secret-0123")
	if err != nil {
		t.Fatalf("docker-compose config: %v\n%s", err, out)
	}
	var doc struct {
		Services map[string]struct {
			Command     []string          `yaml:"command"`
			Environment map[string]string `yaml:"environment"`
			Networks    map[string]struct {
				IPv4 string `yaml:"ipv4_address"`
			} `yaml:"networks"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("parse the rendered file: %v\n%s", err, out)
	}
	nginxIP := doc.Services["web"].Networks["backend"].IPv4
	if nginxIP == "" {
		t.Fatal("web has no fixed address to trust")
	}
	for name, cmd := range map[string]string{"api1": "serve", "api2": "serve", "worker": "worker", "migrate": "migrate"} {
		s, ok := doc.Services[name]
		if !ok || len(s.Command) != 1 || s.Command[0] != cmd {
			t.Errorf("service %s: command %v, want %s", name, s.Command, cmd)
			continue
		}
		if name == "migrate" {
			continue
		}
		if got := s.Environment["DUBAN_TRUSTED_PROXIES"]; got != nginxIP+"/32" {
			t.Errorf("%s trusts %q, want nginx's own address %s/32", name, got, nginxIP)
		}
		if p := s.Environment["DUBAN_BOOTSTRAP_ADMIN_PASSWORD"]; p != "" {
			t.Errorf("%s has a default bootstrap password %q", name, p)
		}
		if s.Environment["DUBAN_JWT_SECRET"] != "jwt-secret-jwt-secret-jwt-secret-0123" {
			t.Errorf("%s does not get the JWT secret", name)
		}
	}
}
