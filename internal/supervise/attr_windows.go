package supervise

import (
	"fmt"
	"os"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

func childAttr() *syscall.SysProcAttr { return nil }

var (
	jobOnce sync.Once
	job     windows.Handle
	jobErr  error
)

// bindChild ends the agent with the supervisor, as Pdeathsig does on
// Linux: "End task" on the supervisor must not leave an agent (and its
// icon) running that the user meant to stop. The agent is put in a job
// object that kills its members when its last handle closes, which is
// when the supervisor ends; the handle is kept open until then on purpose.
// Processes the agent starts (the windows, the browser it opens for "Buka
// SVC di browser") break away from the job silently, so they never die
// with it.
func bindChild(p *os.Process) error {
	jobOnce.Do(func() {
		job, jobErr = windows.CreateJobObject(nil, nil)
		if jobErr != nil {
			jobErr = fmt.Errorf("create job object: %w", jobErr)
			return
		}
		var info windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION
		info.BasicLimitInformation.LimitFlags = windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE | windows.JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK
		if _, err := windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation,
			uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
			jobErr = fmt.Errorf("set job limits: %w", err)
		}
	})
	if jobErr != nil {
		return jobErr
	}
	h, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE, false, uint32(p.Pid))
	if err != nil {
		return fmt.Errorf("open agent process %d: %w", p.Pid, err)
	}
	defer windows.CloseHandle(h)
	if err := windows.AssignProcessToJobObject(job, h); err != nil {
		return fmt.Errorf("put agent process %d in the job: %w", p.Pid, err)
	}
	return nil
}
