//go:build mage

// The backend's build with grafana-plugin-sdk-go's mage targets: Grafana's executable naming
// (gpx_<name>_<os>_<arch>[.exe]), static linking and, for a data source nested in an app, the
// executable in dist/datasource/ beside its plugin.json. Run by `npm run build`.
package main

import (
	"github.com/magefile/mage/mg"

	// mage:import
	build "github.com/grafana/grafana-plugin-sdk-go/build"
)

// Default is what a plain `mage` runs.
var Default = Executables

// Executables builds the backend for the platforms Grafana runs on.
func Executables() {
	b := build.Build{}
	mg.Deps(b.Linux, b.LinuxARM64, b.Darwin, b.DarwinARM64, b.Windows)
}
