// compose-check renders a Compose file the way `docker compose config` does (the same compose-spec loader:
// schema validation, interpolation, required variables), without a Docker engine or the compose plugin, which
// Debian 12 does not package (its docker-compose 1.29 predates the top-level `name`).
// Usage: compose-check -f docker-compose.yml [--format json] [config]   → the normalised project on stdout (YAML, or
// JSON as `docker compose config --format json`), exit 1 on any error. A trailing "config" is accepted and ignored so
// that callers can use either command with the same arguments.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	file := flag.String("f", "docker-compose.yml", "compose file")
	format := flag.String("format", "yaml", "yaml or json")
	flag.Parse()
	opts, err := cli.NewProjectOptions([]string{*file}, cli.WithOsEnv, cli.WithConsistency(true))
	if err != nil {
		fail(err)
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	var out []byte
	if *format == "json" {
		out, err = project.MarshalJSON()
	} else {
		out, err = project.MarshalYAML()
	}
	if err != nil {
		fail(err)
	}
	os.Stdout.Write(out)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "compose-check:", err)
	os.Exit(1)
}
