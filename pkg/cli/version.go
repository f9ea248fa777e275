package cli

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/updoc/updoc/pkg/version"
)

func newVersionCmd(f *Factory) *cobra.Command {
	ios := f.IO
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit, build date and Go version",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			info := version.Get()
			if asJSON {
				enc := json.NewEncoder(ios.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(info)
			}
			fmt.Fprintf(ios.Out, "updoc %s\ncommit: %s\nbuilt:  %s\ngo:     %s\n", info.Version, info.Commit, info.Date, info.GoVersion)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}
