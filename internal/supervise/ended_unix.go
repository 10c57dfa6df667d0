//go:build unix

package supervise

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
)

// Ended reports whether the process pid has ended (an exited process
// whose parent has not collected it yet counts as ended).
func Ended(pid int) bool {
	if errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
		return true
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	return err == nil && strings.Contains(string(stat), ") Z ")
}
