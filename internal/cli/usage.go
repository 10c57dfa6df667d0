package cli

// MainUsage is the overview printed by `pantau-efaktur help`.
const MainUsage = `Pantau e-Faktur — watches DJP's e-Faktur SVC service.

Usage:
  pantau-efaktur [flags]              run the tray agent (default)
  pantau-efaktur check [flags]        check once; exit 0 up, 1 degraded, 2 down, 3 offline, 64 usage
  pantau-efaktur watch [flags]        run the monitor headless: one JSON line per event
  pantau-efaktur status              the running agent's state (exit codes as check; 69: no agent)
  pantau-efaktur export --csv         write the check history (90 days kept)
  pantau-efaktur version              print the version

Run "pantau-efaktur <command> --help" for the flags of a command.
`
