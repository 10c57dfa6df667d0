package supervise

import "os"

var stopSignals = []os.Signal{os.Interrupt}
