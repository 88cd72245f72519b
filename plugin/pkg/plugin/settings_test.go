package plugin

import (
	"context"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func TestParseSettings(t *testing.T) {
	settings, err := ParseSettings(backend.DataSourceInstanceSettings{
		JSONData:                []byte(`{"cubeUrl":"http://cube:4000","currency":"eur","token":"from-json-data"}`),
		DecryptedSecureJSONData: map[string]string{"token": "secret"},
	})
	if err != nil || settings != (Settings{CubeURL: "http://cube:4000", Currency: "EUR", Token: "secret"}) {
		t.Fatalf("settings %+v, %v", settings, err)
	}
	for _, c := range []struct{ json, want string }{
		{`{"currency":"euro"}`, `jsonData.currency: expected an ISO 4217 code such as "EUR", got "euro"`},
		{`{"cubeUrl":4000}`, "jsonData: "},
	} {
		if _, err := ParseSettings(backend.DataSourceInstanceSettings{JSONData: []byte(c.json)}); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.json, err, c.want)
		}
	}
}

func TestHealthOfMeta(t *testing.T) {
	const good = `"meta":{"kpi":true,"benchmark":{"none":true,"reason":"nobody publishes this","window":{"grain":"lifetime"}}}`
	cases := []struct {
		name, meta string
		status     backend.HealthStatus
		message    string
	}{
		{"counts visible measures once, by cube or view", `{"cubes":[
			{"name":"a","measures":[{"name":"a.x",` + good + `},{"name":"a.y","isVisible":false}]},
			{"name":"v","type":"view","measures":[{"name":"v.x",` + good + `},{"name":"a.x"}]}]}`,
			backend.HealthStatusOk, "Connected to Cube: 2 measures in 2 cubes and views, 2 with benchmarks."},
		{"warns of malformed benchmark meta, naming the measure and field", `{"cubes":[{"name":"a","measures":[{"name":"a.x","meta":{"kpi":true,"benchmark":{"none":true}}}]}]}`,
			backend.HealthStatusOk, "Connected to Cube: 1 measures in 1 cubes and views, 0 with benchmarks. Ignored malformed benchmark meta: a.x: meta.benchmark.reason: expected why no benchmark applies"},
		{"a token that sees nothing", `{"cubes":[{"name":"a","measures":[{"name":"a.x","isVisible":false}]}]}`,
			backend.HealthStatusError, "Connected, but this token sees no measures: check the tenant it was minted for."},
		{"not Cube's meta", `{"tables":[]}`, backend.HealthStatusError, "Unexpected /v1/meta answer from Cube: cubes: expected an array of cubes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			result := healthOf([]byte(c.meta))
			if result.Status != c.status || result.Message != c.message {
				t.Fatalf("%v %q", result.Status, result.Message)
			}
			if strings.Contains(c.message, "Ignored") != strings.Contains(string(result.JSONDetails), `"status":"warning"`) {
				t.Fatalf("details %s", result.JSONDetails)
			}
		})
	}
}

func TestQueryDataSendsNothingForHiddenOrEmptyTargets(t *testing.T) {
	// A URL nothing listens on: any request would fail the query.
	d := New(Settings{CubeURL: "http://127.0.0.1:9", Token: "t"})
	response, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{
		{RefID: "H", JSON: []byte(`{"version":2,"hide":true,"cubeQuery":{"measures":["a.b"]}}`)},
		{RefID: "E", JSON: []byte(`{"refId":"E"}`)},
		{RefID: "B", JSON: []byte(`{"version":2,"cubeQuery":{"measures":["a.b"]},"periods":"sometimes"}`)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, refID := range []string{"H", "E"} {
		if r := response.Responses[refID]; r.Error != nil || len(r.Frames) != 0 {
			t.Errorf("%s: %v %v", refID, r.Error, r.Frames)
		}
	}
	if r := response.Responses["B"]; r.Error == nil || r.Error.Error() != "Invalid Cube query: periods: expected one of complete, to_date" || r.Status != backend.StatusBadRequest {
		t.Errorf("B: %v", r.Error)
	}
	none := New(Settings{})
	if r := mustQuery(t, none, `{"version":2,"cubeQuery":{"measures":["a.b"]}}`); r.Error == nil || r.Error.Error() != "Set the Cube URL first." {
		t.Errorf("no URL: %v", r.Error)
	}
}

func mustQuery(t *testing.T, d *Datasource, target string) backend.DataResponse {
	t.Helper()
	response, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{RefID: "A", JSON: []byte(target)}}})
	if err != nil {
		t.Fatal(err)
	}
	return response.Responses["A"]
}
