package cli

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/updoc/updoc/pkg/graph"
)

// selectionCompletion completes a comma-separated --only or --tags value
// from the graph file the command line names with -f (or the default
// file): pick chooses the upstream names or the tags. The values already
// typed before the last comma are kept and not offered again.
func selectionCompletion(pick func(names, tags []string) []string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		file := ""
		if f := cmd.Flags().Lookup("file"); f != nil {
			file = f.Value.String()
		} else {
			return nil, cobra.ShellCompDirectiveNoFileComp // no graph file (demo's is the lab's)
		}
		typed, _ := splitLast(toComplete)
		done := strings.Split(typed, ",")
		var out []string
		for _, v := range pick(graph.SelectionValues(file)) {
			if !slices.Contains(done, v) {
				out = append(out, typed+v)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	}
}

// splitLast splits "a,b,c" into "a,b," and "c".
func splitLast(s string) (head, last string) {
	i := strings.LastIndex(s, ",")
	return s[:i+1], s[i+1:]
}
