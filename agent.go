package main

import (
	"pantau-efaktur/internal/cli"
	"pantau-efaktur/ui/tray"
)

// runAgent starts the tray agent (the default command).
func runAgent(args []string, io cli.IO, logs tray.Logs) int {
	return tray.Main(args, io, logs)
}
