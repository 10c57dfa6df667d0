// Command fakehost plays the desktop and DJP for manual runs and
// scripts/bench.sh: on the session bus in DBUS_SESSION_BUS_ADDRESS it
// serves a tray host (StatusNotifierWatcher) and a notification server that
// prints what it is shown; with -svc it also serves the fake e-Faktur SVC.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"

	"github.com/godbus/dbus/v5"

	"pantau-efaktur/internal/dbustest"
	"pantau-efaktur/internal/fakesvc"
)

func main() {
	svcAddr := flag.String("svc", "", "also serve the fake SVC on this address (e.g. 127.0.0.1:0)")
	noTray := flag.Bool("no-tray", false, "do not serve a tray host")
	flag.Parse()
	conn, err := dbus.SessionBus()
	if err != nil {
		log.Fatal(err)
	}
	if !*noTray {
		if _, err := dbustest.ExportWatcher(conn); err != nil {
			log.Fatal(err)
		}
	}
	n, err := dbustest.ExportNotifier(conn)
	if err != nil {
		log.Fatal(err)
	}
	if *svcAddr != "" {
		ln, err := net.Listen("tcp", *svcAddr)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("svc http://%s\n", ln.Addr())
		go func() { log.Fatal(http.Serve(ln, fakesvc.New(fakesvc.OK))) }()
	}
	fmt.Println("ready")
	go func() {
		for nt := range n.Seen {
			fmt.Printf("notification %q %q\n", nt.Summary, nt.Body)
		}
	}()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	<-sig
}
