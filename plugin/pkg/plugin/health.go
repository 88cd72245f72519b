package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/engagement-metrics/engagement-grafana-app/pkg/cube"
)

const msgNoURL = "Set the Cube URL first."

// metaAnswer is the part of Cube's /v1/meta answer the health check reads (contract/src/cube-meta.ts).
type metaAnswer struct {
	Cubes []struct {
		Name     string `json:"name"`
		Measures []struct {
			Name      string `json:"name"`
			Meta      any    `json:"meta"`
			IsVisible *bool  `json:"isVisible"`
		} `json:"measures"`
	} `json:"cubes"`
}

// CheckHealth gives the messages the frontend's testDatasource gave: no URL, Cube unreachable
// or refusing the token (in Cube's words), a token that sees no measures, and a warning for
// benchmark meta that does not match the schema (details.status "warning": the SDK has no
// warning status, so the frontend shows it from the details).
func (d *Datasource) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	if d.settings.CubeURL == "" {
		return unhealthy(msgNoURL), nil
	}
	body, err := d.client.Meta(ctx)
	if err != nil {
		return unhealthy(err.Error()), nil
	}
	return healthOf(body), nil
}

func unhealthy(message string) *backend.CheckHealthResult {
	return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: message}
}

// healthOf judges what a /v1/meta answer shows a token: its measures, their benchmarks and
// the benchmark meta that was ignored.
func healthOf(body []byte) *backend.CheckHealthResult {
	var meta metaAnswer
	if err := json.Unmarshal(body, &meta); err != nil || meta.Cubes == nil {
		return unhealthy("Unexpected /v1/meta answer from Cube: cubes: expected an array of cubes")
	}
	seen := map[string]bool{}
	cubes := map[string]bool{}
	benchmarked := 0
	var issues []string
	for _, c := range meta.Cubes {
		for _, m := range c.Measures {
			if (m.IsVisible != nil && !*m.IsVisible) || seen[m.Name] {
				continue
			}
			seen[m.Name] = true
			cubes[strings.SplitN(m.Name, ".", 2)[0]] = true
			benchmark, issue := cube.BenchmarkOf(m.Name, m.Meta)
			if benchmark != nil {
				benchmarked++
			}
			if issue != "" {
				issues = append(issues, issue)
			}
		}
	}
	if len(seen) == 0 {
		return unhealthy("Connected, but this token sees no measures: check the tenant it was minted for.")
	}
	summary := fmt.Sprintf("Connected to Cube: %d measures in %d cubes and views, %d with benchmarks.", len(seen), len(cubes), benchmarked)
	if len(issues) == 0 {
		return &backend.CheckHealthResult{Status: backend.HealthStatusOk, Message: summary}
	}
	details, _ := json.Marshal(map[string]any{"status": "warning", "issues": issues})
	return &backend.CheckHealthResult{
		Status:      backend.HealthStatusOk,
		Message:     summary + " Ignored malformed benchmark meta: " + strings.Join(issues, "; "),
		JSONDetails: details,
	}
}
