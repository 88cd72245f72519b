// The Cube data source's backend executable, which Grafana starts (plugin.json "executable").
package main

import (
	"os"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/engagement-metrics/engagement-grafana-app/pkg/plugin"
)

func main() {
	// Blocks while Grafana runs the plugin; the SDK makes one Datasource per configured data
	// source and a new one when its settings change.
	if err := datasource.Manage(plugin.PluginID, plugin.NewDatasource, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error(err.Error())
		os.Exit(1)
	}
}
