package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/iostreams"
	"github.com/updoc/updoc/pkg/report"
)

// parse runs cmd with args and returns the error of its parsing (the runF
// the command was built with records the options instead of running).
func parse(t *testing.T, cmd *cobra.Command, args ...string) error {
	t.Helper()
	cmd.SetArgs(args)
	cmd.SetOut(&strings.Builder{})
	cmd.SetErr(&strings.Builder{})
	return cmd.ExecuteContext(context.Background())
}

func testFactory() *Factory {
	ios, _, _, _ := iostreams.Test()
	return &Factory{IO: ios, Env: func(string) (string, bool) { return "", false }}
}

// The flags of the run commands parse into RunFlags with the defaults of
// SPEC §1 (which are the graph's and the engine's own defaults).
func TestRunFlagsDefaults(t *testing.T) {
	var got *CheckOptions
	cmd := newCheckCmd(testFactory(), func(_ context.Context, o *CheckOptions) error { got = o; return nil })
	if err := parse(t, cmd); err != nil {
		t.Fatal(err)
	}
	want := RunFlags{Output: "table", Timeout: graph.DefaultTimeout, Deadline: engine.DefaultDeadline,
		Concurrency: engine.DefaultConcurrency, Samples: graph.DefaultSamples, FailOn: "unhealthy", Color: "auto"}
	f := got.Run
	if f.Output != want.Output || f.Timeout != want.Timeout || f.Deadline != want.Deadline || f.Concurrency != want.Concurrency ||
		f.Samples != want.Samples || f.FailOn != want.FailOn || f.Color != want.Color || f.Quiet || f.Verbose || f.TUI ||
		f.Only != nil || f.Tags != nil || got.File != "" {
		t.Errorf("defaults = %+v, file %q; want %+v", f, got.File, want)
	}
}

func TestCheckFlags(t *testing.T) {
	var got *CheckOptions
	cmd := newCheckCmd(testFactory(), func(_ context.Context, o *CheckOptions) error { got = o; return nil })
	err := parse(t, cmd, "-f", "up.yaml", "-o", "json", "--only", "a,b", "--tags", "t1", "--timeout", "2s",
		"--deadline", "9s", "--concurrency", "7", "--samples", "3", "--fail-on", "degraded", "--color", "never", "-q", "-v")
	if err != nil {
		t.Fatal(err)
	}
	f := got.Run
	if got.File != "up.yaml" || f.Output != "json" || strings.Join(f.Only, ",") != "a,b" || strings.Join(f.Tags, ",") != "t1" ||
		f.Timeout != 2*time.Second || f.Deadline != 9*time.Second || f.Concurrency != 7 || f.Samples != 3 ||
		f.FailOn != "degraded" || f.Color != "never" || !f.Quiet || !f.Verbose {
		t.Errorf("parsed %+v, file %q", f, got.File)
	}
	// The engine gets the run's values: timeout and samples given on the
	// command line beat the graph's.
	eo := f.engineOptions()
	if eo.Timeout == nil || *eo.Timeout != 2*time.Second || eo.Samples == nil || *eo.Samples != 3 ||
		eo.Deadline != 9*time.Second || eo.Concurrency != 7 {
		t.Errorf("engine options = %+v", eo)
	}
}

// Not given on the command line, --timeout and --samples leave the graph's
// values alone: the engine gets none.
func TestAbsentRunSettingsLeaveTheGraph(t *testing.T) {
	var got *CheckOptions
	cmd := newCheckCmd(testFactory(), func(_ context.Context, o *CheckOptions) error { got = o; return nil })
	if err := parse(t, cmd, "--deadline", "9s"); err != nil {
		t.Fatal(err)
	}
	if eo := got.Run.engineOptions(); eo.Timeout != nil || eo.Samples != nil || eo.Deadline != 9*time.Second {
		t.Errorf("engine options = %+v; want no timeout and no samples", eo)
	}
}

func TestCommandFlags(t *testing.T) {
	f := testFactory()
	t.Run("probe", func(t *testing.T) {
		var got *ProbeOptions
		cmd := newProbeCmd(f, func(_ context.Context, o *ProbeOptions) error { got = o; return nil })
		if err := parse(t, cmd, "http://127.0.0.1:1/", "tcp://127.0.0.1:2", "--samples", "0"); err != nil {
			t.Fatal(err)
		}
		if strings.Join(got.URLs, " ") != "http://127.0.0.1:1/ tcp://127.0.0.1:2" || got.Run.Samples != 0 {
			t.Errorf("parsed %+v", got)
		}
	})
	t.Run("watch", func(t *testing.T) {
		var got *WatchOptions
		cmd := newWatchCmd(f, func(_ context.Context, o *WatchOptions) error { got = o; return nil })
		if err := parse(t, cmd, "-f", "-", "--interval", "3s", "--count", "2", "-o", "json"); err != nil {
			t.Fatal(err)
		}
		if got.File != "-" || got.Interval != 3*time.Second || got.Count != 2 || got.Run.Output != "json" {
			t.Errorf("parsed %+v", got)
		}
	})
	t.Run("graph", func(t *testing.T) {
		var got *GraphOptions
		cmd := newGraphCmd(f, func(_ context.Context, o *GraphOptions) error { got = o; return nil })
		if err := parse(t, cmd, "--format", "dot", "--check", "--only", "api"); err != nil {
			t.Fatal(err)
		}
		if got.Format != "dot" || !got.Check || strings.Join(got.Run.Only, ",") != "api" {
			t.Errorf("parsed %+v", got)
		}
	})
	t.Run("validate", func(t *testing.T) {
		var got *ValidateOptions
		cmd := newValidateCmd(f, func(_ context.Context, o *ValidateOptions) error { got = o; return nil })
		if err := parse(t, cmd, "-f", "x.yml", "-q"); err != nil {
			t.Fatal(err)
		}
		if got.File != "x.yml" || !got.Quiet {
			t.Errorf("parsed %+v", got)
		}
	})
	t.Run("explain", func(t *testing.T) {
		var got *ExplainOptions
		cmd := newExplainCmd(f, func(_ context.Context, o *ExplainOptions) error { got = o; return nil })
		if err := parse(t, cmd, "tcp.refused"); err != nil {
			t.Fatal(err)
		}
		if got.Code != "tcp.refused" {
			t.Errorf("parsed %+v", got)
		}
	})
	t.Run("demo", func(t *testing.T) {
		var got *DemoOptions
		cmd := newDemoCmd(f, func(_ context.Context, o *DemoOptions) error { got = o; return nil })
		if err := parse(t, cmd, "--print-config", "--only", "web"); err != nil {
			t.Fatal(err)
		}
		if !got.PrintConfig || strings.Join(got.Run.Only, ",") != "web" {
			t.Errorf("parsed %+v", got)
		}
	})
}

// A command runs without the network when the factory's engine is a fake:
// check renders the engine's report and exits with its status.
func TestCheckWithAFakeEngine(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	var gotOpts engine.Options
	var gotNames []string
	f := &Factory{IO: ios, Env: func(string) (string, bool) { return "", false },
		Engine: func(_ context.Context, g *graph.Graph, opts engine.Options, _ engine.Observer) report.Report {
			gotOpts, gotNames = opts, g.Names()
			return report.Report{Schema: report.Schema, Status: report.Unhealthy, Summary: report.Summary{Total: 1, Unhealthy: 1},
				RootCauses: []report.RootCause{}, Upstreams: []report.Upstream{{Name: "api", Status: report.Unhealthy,
					Layers: report.Layers{DNS: report.Skip, TCP: report.LFail, TLS: report.Skip, HTTP: report.Skip, Latency: report.Skip}}}}
		}}
	file := writeFile(t, "updoc.yaml", "version: 1\nupstreams:\n  api: {url: 'http://127.0.0.1:9/'}\n  db: {url: 'tcp://127.0.0.1:9'}\n")
	root := newRootCmd(f)
	root.SetArgs([]string{"check", "-f", file, "-o", "json", "--only", "api", "--deadline", "3s"})
	code := exitCode(ios, root.ExecuteContext(context.Background()))
	if code != ExitUnhealthy {
		t.Errorf("exit %d, want %d", code, ExitUnhealthy)
	}
	if strings.Join(gotNames, ",") != "api" || gotOpts.Deadline != 3*time.Second {
		t.Errorf("engine got upstreams %v and options %+v", gotNames, gotOpts)
	}
	if r := decodeReport(t, out.String()); r.Status != report.Unhealthy {
		t.Errorf("rendered status %s", r.Status)
	}
}
