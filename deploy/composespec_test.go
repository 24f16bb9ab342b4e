package deploy_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
)

// docker-compose.yml against the Compose Specification as Compose v2 reads it:
// compose-go is the loader behind `docker compose config` (schema validation,
// interpolation with required variables, merge keys, normalisation). Debian has no
// Compose v2 plugin, so this is how CI checks the file for v2 as well as v1.
func TestComposeFileMatchesComposeSpec(t *testing.T) {
	t.Parallel()
	load := func(env map[string]string) ([]string, error) {
		opts, err := cli.NewProjectOptions([]string{"../docker-compose.yml"},
			cli.WithName("duban"), cli.WithWorkingDirectory(".."), cli.WithEnv(envList(env)))
		if err != nil {
			return nil, err
		}
		p, err := opts.LoadProject(context.Background())
		if err != nil {
			return nil, err
		}
		names := p.ServiceNames()
		slices.Sort(names)
		return names, nil
	}
	names, err := load(map[string]string{"POSTGRES_PASSWORD": "pw", "DUBAN_JWT_SECRET": "jwt-secret-jwt-secret-jwt-secret-0123"})
	if err != nil {
		t.Fatalf("the Compose v2 loader refuses docker-compose.yml: %v", err)
	}
	if want := []string{"api1", "api2", "migrate", "postgres", "web", "worker"}; !slices.Equal(names, want) {
		t.Fatalf("services %v, want %v", names, want)
	}
	if _, err := load(map[string]string{"POSTGRES_PASSWORD": "pw"}); err == nil || !strings.Contains(err.Error(), "DUBAN_JWT_SECRET") {
		t.Fatalf("loaded without DUBAN_JWT_SECRET: %v", err)
	}
}

func envList(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	return out
}
