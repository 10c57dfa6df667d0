package main

import (
	"pantau-efaktur/internal/agent"
	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/ui/tray"
)

// runAgent starts the tray agent (the default command).
func runAgent(args []string, io cmdline.IO, logs agent.Logs) int {
	return tray.Main(args, io, logs)
}
