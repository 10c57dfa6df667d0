package cli

import (
	"fmt"
	"time"

	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/internal/paths"
	"pantau-efaktur/internal/supervise"
)

// quitWait bounds the wait for the agent to end: it stops within a second
// or two (its last check is cancelled, its history closed).
const quitWait = 30 * time.Second

// Quit runs `pantau-efaktur quit`: the running agent is asked to quit, as
// its tray menu's "Keluar" does, and the command returns once the agent
// and its supervisor have ended, so that their program file is free (the
// Windows uninstaller runs it before removing the program). 0 when the
// agent ended, 69 when none was running, 1 when it did not end in time.
func Quit(args []string, io cmdline.IO) int {
	tr, code, ok := cmdline.ParseLangOnly(args, "pantau-efaktur quit", "quit", io)
	if !ok {
		return code
	}
	sock, err := paths.SocketPath()
	var resp ipc.Response
	if err == nil {
		resp, err = ipc.Do(sock, ipc.Request{Cmd: ipc.CmdStatus}, 5*time.Second)
	}
	if err != nil || resp.Status == nil {
		fmt.Fprintln(io.Stderr, tr.T("status.no_agent"))
		return cmdline.ExitNoAgent
	}
	if _, err := ipc.Do(sock, ipc.Request{Cmd: ipc.CmdQuit}, 5*time.Second); err != nil {
		fmt.Fprintln(io.Stderr, tr.T("status.no_agent"))
		return cmdline.ExitNoAgent
	}
	deadline := time.Now().Add(quitWait)
	for _, pid := range []int{resp.Status.PID, resp.Status.SupervisorPID} {
		for pid > 0 && !supervise.Ended(pid) {
			if time.Now().After(deadline) {
				fmt.Fprintln(io.Stderr, tr.T("quit.timeout", map[string]any{"PID": pid}))
				return 1
			}
			time.Sleep(50 * time.Millisecond) // polling another process
		}
	}
	fmt.Fprintln(io.Stdout, tr.T("quit.done"))
	return 0
}
