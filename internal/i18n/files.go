package i18n

import "pantau-efaktur/internal/fileerr"

// FileProblem says in one short clause why a file could not be written or
// read ("disk penuh."), for messages such as "Gagal menyimpan: …". The
// system's own error text is for the log, not for the user.
func (t *Translator) FileProblem(err error) string {
	return t.T("fileerr." + string(fileerr.Classify(err)))
}
