package main

import (
	"fmt"

	"pantau-efaktur/internal/cli"
)

// runAgent starts the tray agent (the default command).
func runAgent(args []string, io cli.IO) int {
	fmt.Fprintln(io.Stderr, "the tray agent is not built yet; use: pantau-efaktur check")
	return cli.ExitUsage
}
