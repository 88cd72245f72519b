package plugin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/jackc/pgx/v5"
)

// Live tests: QueryData, CheckHealth and CallResource against the real Cube of the project's
// examples stack (TestMain), on the worked-example tenants. Every number is DESIGN.md's worked
// example, worked out by hand in seeds/worked-examples.ts.

// dataSourceFor configures a data source as Grafana hands it to the backend: cubeUrl in
// jsonData, the tenant's token in the decrypted secureJsonData.
func dataSourceFor(t *testing.T, tenant string, edit ...func(*backend.DataSourceInstanceSettings)) *Datasource {
	t.Helper()
	token := stack.Tokens[stack.WorkedExamples[tenant]]
	if token == "" {
		t.Fatalf("the examples stack minted no token for the %s example", tenant)
	}
	settings := backend.DataSourceInstanceSettings{
		JSONData:                []byte(`{"cubeUrl":"` + stack.CubeURL + `"}`),
		DecryptedSecureJSONData: map[string]string{"token": token},
	}
	for _, e := range edit {
		e(&settings)
	}
	instance, err := NewDatasource(context.Background(), settings)
	if err != nil {
		t.Fatal(err)
	}
	return instance.(*Datasource)
}

func at(t *testing.T, iso string) time.Time {
	t.Helper()
	parsed, err := time.Parse(time.RFC3339Nano, iso)
	if err != nil {
		t.Fatal(err)
	}
	return parsed
}

// run sends one stored target through QueryData as Grafana does, with the request's headers.
func run(t *testing.T, d *Datasource, target string, from, to string, headers map[string]string) backend.DataResponse {
	t.Helper()
	request := &backend.QueryDataRequest{
		Headers: headers,
		Queries: []backend.DataQuery{{
			RefID:         "A",
			JSON:          json.RawMessage(target),
			TimeRange:     backend.TimeRange{From: at(t, from), To: at(t, to)},
			Interval:      time.Minute,
			MaxDataPoints: 1000,
		}},
	}
	response, err := d.QueryData(context.Background(), request)
	if err != nil {
		t.Fatal(err)
	}
	return response.Responses["A"]
}

func framesOf(t *testing.T, r backend.DataResponse) data.Frames {
	t.Helper()
	if r.Error != nil {
		t.Fatalf("query failed: %v", r.Error)
	}
	return r.Frames
}

func fieldOf(t *testing.T, frame *data.Frame, name string) *data.Field {
	t.Helper()
	field, index := frame.FieldByName(name)
	if index < 0 {
		t.Fatalf("no field %s in frame %s", name, frame.Name)
	}
	return field
}

func numbers(field *data.Field) []float64 {
	out := make([]float64, field.Len())
	for i := range out {
		if v, ok := field.At(i).(*float64); ok && v != nil {
			out[i] = *v
		} else {
			out[i] = math.NaN()
		}
	}
	return out
}

func times(field *data.Field) []string {
	out := make([]string, field.Len())
	for i := range out {
		if v, ok := field.At(i).(*time.Time); ok && v != nil {
			out[i] = v.UTC().Format(time.RFC3339)
		}
	}
	return out
}

func sameNumbers(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %v, want %v", what, got, want)
	}
	for i := range got {
		// NaN (no value) matches only NaN: a difference with NaN is never greater than anything.
		if math.IsNaN(got[i]) != math.IsNaN(want[i]) || math.Abs(got[i]-want[i]) > 1e-9 {
			t.Fatalf("%s: %v, want %v", what, got, want)
		}
	}
}

func TestLiveWorkedExamples(t *testing.T) {
	t.Run("NPS: 40 for March 2025 as a monthly series, the benchmark as thresholds", func(t *testing.T) {
		d := dataSourceFor(t, "surveys")
		target := `{"refId":"A","version":2,"format":"time_series",
			"cubeQuery":{"measures":["survey_responses.nps"],"timeDimensions":[{"dimension":"survey_responses.responded_at","granularity":"month"}]}}`
		frames := framesOf(t, run(t, d, target, "2025-01-01T00:00:00Z", "2025-12-31T23:59:59Z", nil))
		if len(frames) != 1 {
			t.Fatalf("%d frames", len(frames))
		}
		if got := times(fieldOf(t, frames[0], "survey_responses.responded_at")); len(got) != 1 || got[0] != "2025-03-01T00:00:00Z" {
			t.Fatalf("times %v", got)
		}
		nps := fieldOf(t, frames[0], "survey_responses.nps")
		sameNumbers(t, "nps", numbers(nps), []float64{40})
		// 300 promoters, 100 passives, 100 detractors: 40 is in NPS's "good" band (30 to 50) in schema/.
		if nps.Config.Unit != "short" || nps.Config.Thresholds == nil || nps.Config.Color["mode"] != "thresholds" {
			t.Fatalf("field config %+v", nps.Config)
		}
		if benchmark, _ := nps.Config.Custom["benchmark"].(map[string]any); benchmark["direction"] != "higher_is_better" {
			t.Fatalf("benchmark %v", nps.Config.Custom["benchmark"])
		}
		if custom, _ := frames[0].Meta.Custom.(map[string]any); custom["periods"] != "complete" || custom["granularity"] != "month" {
			t.Fatalf("frame meta custom %v", frames[0].Meta.Custom)
		}
	})

	t.Run("CSAT: 7 positive answers of 12 → 58.33 %, one decimal on 0–100", func(t *testing.T) {
		d := dataSourceFor(t, "surveys")
		target := `{"refId":"A","version":2,"format":"table","cubeQuery":{"measures":["survey_responses.csat"]}}`
		frames := framesOf(t, run(t, d, target, "2025-01-01T00:00:00Z", "2025-12-31T23:59:59Z", nil))
		csat := fieldOf(t, frames[0], "survey_responses.csat")
		sameNumbers(t, "csat", numbers(csat), []float64{7.0 / 12 * 100})
		if csat.Config.Unit != "percent" || *csat.Config.Decimals != 1 || *csat.Config.Min != 0 || *csat.Config.Max != 100 {
			t.Fatalf("field config %+v", csat.Config)
		}
	})

	t.Run("a table by channel: June 2025's sessions and bounce rates, with an OR filter group", func(t *testing.T) {
		d := dataSourceFor(t, "web")
		// The first 12 of 30 sessions bounced; every fifth came by referral (i = 0, 5, …, 25), three of them among the 12.
		target := `{"refId":"A","version":2,"format":"table","cubeQuery":{
			"measures":["web_sessions.sessions","web_sessions.bounce_rate"],"dimensions":["web_sessions.channel"],
			"timeDimensions":[{"dimension":"web_sessions.started_at"}],
			"filters":[{"or":[{"member":"web_sessions.channel","operator":"equals","values":["organic"]},
			                  {"member":"web_sessions.channel","operator":"equals","values":["referral"]}]}],
			"order":[["web_sessions.channel","asc"]]}}`
		frames := framesOf(t, run(t, d, target, "2025-06-01T00:00:00Z", "2025-06-30T23:59:59Z", nil))
		channel := fieldOf(t, frames[0], "web_sessions.channel")
		if channel.Len() != 2 || *channel.At(0).(*string) != "organic" || *channel.At(1).(*string) != "referral" {
			t.Fatalf("channels %v", channel)
		}
		sameNumbers(t, "sessions", numbers(fieldOf(t, frames[0], "web_sessions.sessions")), []float64{24, 6})
		sameNumbers(t, "bounce", numbers(fieldOf(t, frames[0], "web_sessions.bounce_rate")), []float64{9.0 / 24 * 100, 3.0 / 6 * 100})
	})

	t.Run("a tenant sees only its own rows: the churn tenant has no survey answers", func(t *testing.T) {
		target := `{"refId":"A","version":2,"format":"table","cubeQuery":{"measures":["survey_responses.nps_responses"]}}`
		theirs := framesOf(t, run(t, dataSourceFor(t, "churn"), target, "2025-01-01T00:00:00Z", "2025-12-31T23:59:59Z", nil))
		sameNumbers(t, "churn tenant", numbers(fieldOf(t, theirs[0], "survey_responses.nps_responses")), []float64{0})
		mine := framesOf(t, run(t, dataSourceFor(t, "surveys"), target, "2025-01-01T00:00:00Z", "2025-12-31T23:59:59Z", nil))
		sameNumbers(t, "surveys tenant", numbers(fieldOf(t, mine[0], "survey_responses.nps_responses")), []float64{500})
	})
}

// The churn example: 1,000 customers at the start of January 2025, 100 lost in it → 10 %;
// February starts with 900 and loses none → 0 %.
const churnAlertTarget = `{"refId":"A","datasource":{"type":"engagement-cube-datasource","uid":"cube-churn"},
	"intervalMs":60000,"maxDataPoints":43200,"version":2,%s
	"cubeQuery":{"measures":["customer_health.churn_rate"],"timeDimensions":[{"dimension":"customer_health.lifecycle_date","granularity":"month"}]}}`

func TestLiveAlertRuleQuery(t *testing.T) {
	// As Grafana's alerting engine sends a rule's query, with no frontend: the stored model plus
	// intervalMs and maxDataPoints, the rule's relative range resolved on the server, FromAlert set.
	alertHeaders := map[string]string{"FromAlert": "true"}
	d := dataSourceFor(t, "churn")
	d.now = func() time.Time { return at(t, "2025-02-10T08:00:00Z") }

	t.Run("judges the last complete month: January's 10 %, not February's ten days", func(t *testing.T) {
		target := strings.Replace(churnAlertTarget, "%s", "", 1)
		frames := framesOf(t, run(t, d, target, "2024-11-10T08:00:00Z", "2025-02-10T08:00:00Z", alertHeaders))
		if len(frames) != 1 || frames[0].Meta.Type != data.FrameTypeTimeSeriesMulti {
			t.Fatalf("alerting needs one numeric series, got %v", frames)
		}
		churn := numbers(fieldOf(t, frames[0], "customer_health.churn_rate"))
		got := times(fieldOf(t, frames[0], "customer_health.lifecycle_date"))
		if got[len(got)-1] != "2025-01-01T00:00:00Z" || churn[len(churn)-1] != 10 {
			t.Fatalf("last point %s = %v, want 2025-01-01 = 10 (all: %v %v)", got[len(got)-1], churn[len(churn)-1], got, churn)
		}
		if !strings.Contains(frames[0].Meta.ExecutedQueryString, `"2024-11-01T00:00:00.000",`) ||
			!strings.Contains(frames[0].Meta.ExecutedQueryString, `"2025-01-31T23:59:59.999"`) {
			t.Fatalf("sent %s", frames[0].Meta.ExecutedQueryString)
		}
	})

	t.Run("to_date includes the current month so far, and says so", func(t *testing.T) {
		target := strings.Replace(churnAlertTarget, "%s", `"periods":"to_date",`, 1)
		frames := framesOf(t, run(t, d, target, "2024-11-10T08:00:00Z", "2025-02-10T08:00:00Z", alertHeaders))
		churn := numbers(fieldOf(t, frames[0], "customer_health.churn_rate"))
		got := times(fieldOf(t, frames[0], "customer_health.lifecycle_date"))
		// February so far is in the series, with no value: the churn example's data ends on 30 January.
		if got[len(got)-1] != "2025-02-01T00:00:00Z" || !math.IsNaN(churn[len(churn)-1]) || churn[len(churn)-2] != 10 {
			t.Fatalf("points %v %v", got, churn)
		}
		if custom := frames[0].Meta.Custom.(map[string]any); custom["periods"] != "to_date" {
			t.Fatalf("meta custom %v", custom)
		}
	})
}

func TestLiveSharedDashboardQuery(t *testing.T) {
	// An externally shared dashboard sends the panel's stored target unchanged: here a version 1
	// target as the provisioned boards store it, with Grafana's own keys beside the model.
	stored := `{"refId":"A","key":"Q-1","datasource":{"type":"engagement-cube-datasource","uid":"cube-churn"},
		"measures":["customer_health.churn_rate"],"dimensions":[],"segments":[],"order":[],
		"timeDimension":{"dimension":"customer_health.lifecycle_date","granularity":"month"},
		"filters":[{"member":"customer_health.plan","operator":"equals","values":[]}],"format":"time_series"}`
	d := dataSourceFor(t, "churn")
	d.now = func() time.Time { return at(t, "2025-03-15T00:00:00Z") }
	frames := framesOf(t, run(t, d, stored, "2025-01-01T00:00:00Z", "2025-03-15T00:00:00Z", nil))
	churn := numbers(fieldOf(t, frames[0], "customer_health.churn_rate"))
	got := times(fieldOf(t, frames[0], "customer_health.lifecycle_date"))
	// Complete months only (January and February), the half-edited filter left out as the editor does;
	// February has no value, since the churn example's data ends on 30 January.
	if strings.Join(got, ",") != "2025-01-01T00:00:00Z,2025-02-01T00:00:00Z" {
		t.Fatalf("months %v", got)
	}
	sameNumbers(t, "churn", churn, []float64{10, math.NaN()})
}

func TestLiveSharedDashboardUnreplacedVariable(t *testing.T) {
	// A shared board sends the stored filter on "$segment" as saved: it is left out, as "All" is,
	// and the panel says so. The churn example's 1,000 customers are all "smb", so a literal
	// "${segment}" would have matched none of them.
	stored := `{"refId":"A","version":2,"format":"table","cubeQuery":{"measures":["customer_health.churn_rate"],
		"timeDimensions":[{"dimension":"customer_health.lifecycle_date","dateRange":["2025-01-01","2025-01-31"]}],
		"filters":[{"member":"customer_health.segment","operator":"equals","values":["${segment}"]}]}}`
	frames := framesOf(t, run(t, dataSourceFor(t, "churn"), stored, "2025-01-01T00:00:00Z", "2025-01-31T23:59:59Z", nil))
	sameNumbers(t, "churn", numbers(fieldOf(t, frames[0], "customer_health.churn_rate")), []float64{10})
	notices := frames[0].Meta.Notices
	if len(notices) != 1 || !strings.HasPrefix(notices[0].Text, "Filter on customer_health.segment left out: its value ${segment} is a dashboard variable") {
		t.Fatalf("notices %+v", notices)
	}
	if strings.Contains(frames[0].Meta.ExecutedQueryString, "segment") {
		t.Fatalf("sent %s", frames[0].Meta.ExecutedQueryString)
	}
}

func TestLiveQueryErrors(t *testing.T) {
	t.Run("an unknown member is the panel's error, in Cube's words", func(t *testing.T) {
		r := run(t, dataSourceFor(t, "surveys"), `{"refId":"A","version":2,"cubeQuery":{"measures":["survey_responses.nope"]}}`,
			"2025-01-01T00:00:00Z", "2025-12-31T23:59:59Z", nil)
		if r.Error == nil || !regexp.MustCompile(`nope.*not found`).MatchString(r.Error.Error()) || r.Status != backend.StatusBadRequest {
			t.Fatalf("response %v %v", r.Status, r.Error)
		}
	})
	t.Run("a token signed with another secret is reported as rejected", func(t *testing.T) {
		d := dataSourceFor(t, "surveys", func(s *backend.DataSourceInstanceSettings) {
			s.DecryptedSecureJSONData["token"] = stack.ForgedToken
		})
		r := run(t, d, `{"refId":"A","version":2,"cubeQuery":{"measures":["survey_responses.nps"]}}`, "2025-01-01T00:00:00Z", "2025-12-31T23:59:59Z", nil)
		if r.Error == nil || !regexp.MustCompile(`^Cube rejected the token \(HTTP 40[13]\): Invalid token`).MatchString(r.Error.Error()) {
			t.Fatalf("error %v", r.Error)
		}
	})
	t.Run("a token in jsonData is not read: only secureJsonData's", func(t *testing.T) {
		d := dataSourceFor(t, "surveys", func(s *backend.DataSourceInstanceSettings) {
			s.JSONData = []byte(`{"cubeUrl":"` + stack.CubeURL + `","token":"` + s.DecryptedSecureJSONData["token"] + `"}`)
			delete(s.DecryptedSecureJSONData, "token")
		})
		r := run(t, d, `{"refId":"A","version":2,"cubeQuery":{"measures":["survey_responses.nps"]}}`, "2025-01-01T00:00:00Z", "2025-12-31T23:59:59Z", nil)
		if r.Error == nil || !strings.HasPrefix(r.Error.Error(), "Cube rejected the token") {
			t.Fatalf("error %v", r.Error)
		}
	})
	t.Run("an invalid stored query names its field and reaches no Cube", func(t *testing.T) {
		r := run(t, dataSourceFor(t, "surveys"), `{"refId":"A","version":2,"cubeQuery":{"measures":["nps"]}}`, "2025-01-01T00:00:00Z", "2025-12-31T23:59:59Z", nil)
		if r.Error == nil || r.Error.Error() != `Invalid Cube query: cubeQuery.measures.0: expected a member name such as "customers.count"` {
			t.Fatalf("error %v", r.Error)
		}
	})
}

func TestLiveCheckHealth(t *testing.T) {
	health := func(d *Datasource) *backend.CheckHealthResult {
		result, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
		if err != nil {
			t.Fatal(err)
		}
		return result
	}
	t.Run("reports the measures and benchmarks a good token sees", func(t *testing.T) {
		d := dataSourceFor(t, "surveys")
		meta := resource(t, d, "GET", "meta", "")
		var answer struct {
			Cubes []struct {
				Measures []struct {
					Name      string         `json:"name"`
					IsVisible *bool          `json:"isVisible"`
					Meta      map[string]any `json:"meta"`
				} `json:"measures"`
			} `json:"cubes"`
		}
		if err := json.Unmarshal(meta.Body, &answer); err != nil {
			t.Fatal(err)
		}
		measures, benchmarked := map[string]bool{}, map[string]bool{}
		for _, c := range answer.Cubes {
			for _, m := range c.Measures {
				if m.IsVisible == nil || *m.IsVisible {
					measures[m.Name] = true
					if m.Meta["benchmark"] != nil {
						benchmarked[m.Name] = true
					}
				}
			}
		}
		result := health(d)
		want := regexp.MustCompile(`^Connected to Cube: (\d+) measures in \d+ cubes and views, (\d+) with benchmarks\.$`).FindStringSubmatch(result.Message)
		if result.Status != backend.HealthStatusOk || want == nil {
			t.Fatalf("health %v %q", result.Status, result.Message)
		}
		if want[1] != strconv.Itoa(len(measures)) || want[2] != strconv.Itoa(len(benchmarked)) || len(benchmarked) == 0 {
			t.Fatalf("%q; meta has %d measures, %d with benchmarks", result.Message, len(measures), len(benchmarked))
		}
	})
	t.Run("a wrong token", func(t *testing.T) {
		d := dataSourceFor(t, "surveys", func(s *backend.DataSourceInstanceSettings) { s.DecryptedSecureJSONData["token"] = "not-a-jwt" })
		if result := health(d); result.Status != backend.HealthStatusError || !regexp.MustCompile(`^Cube rejected the token \(HTTP 40[13]\)`).MatchString(result.Message) {
			t.Fatalf("health %v %q", result.Status, result.Message)
		}
	})
	t.Run("a Cube it cannot reach, and a missing URL", func(t *testing.T) {
		closed, _ := url.Parse(stack.CubeURL)
		closed.Host = closed.Hostname() + ":9"
		d := dataSourceFor(t, "surveys", func(s *backend.DataSourceInstanceSettings) {
			s.JSONData = []byte(`{"cubeUrl":"` + closed.String() + `"}`)
		})
		d.client.Backoff = time.Millisecond
		if result := health(d); result.Status != backend.HealthStatusError || !strings.HasPrefix(result.Message, "Cannot reach Cube at "+closed.String()+": ") {
			t.Fatalf("health %v %q", result.Status, result.Message)
		}
		d = dataSourceFor(t, "surveys", func(s *backend.DataSourceInstanceSettings) { s.JSONData = []byte(`{}`) })
		if result := health(d); result.Status != backend.HealthStatusError || result.Message != "Set the Cube URL first." {
			t.Fatalf("health %v %q", result.Status, result.Message)
		}
	})
}

// resource calls CallResource as the frontend's getResource/postResource do.
func resource(t *testing.T, d *Datasource, method, path, body string) *backend.CallResourceResponse {
	t.Helper()
	var got *backend.CallResourceResponse
	err := d.CallResource(context.Background(), &backend.CallResourceRequest{Method: method, Path: path, Body: []byte(body)},
		backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error { got = r; return nil }))
	if err != nil || got == nil {
		t.Fatalf("CallResource %s %s: %v", method, path, err)
	}
	return got
}

func TestLiveResources(t *testing.T) {
	d := dataSourceFor(t, "surveys")
	d.now = func() time.Time { return at(t, "2025-04-02T00:00:00Z") }

	t.Run("meta is Cube's /v1/meta unchanged", func(t *testing.T) {
		r := resource(t, d, "GET", "meta", "")
		var meta struct {
			Cubes []struct {
				Name string `json:"name"`
			} `json:"cubes"`
		}
		if r.Status != http.StatusOK || json.Unmarshal(r.Body, &meta) != nil || len(meta.Cubes) == 0 {
			t.Fatalf("meta %d %s", r.Status, r.Body[:min(200, len(r.Body))])
		}
	})

	t.Run("sql is Cube's SQL for exactly the query QueryData sends, the tenant and range as parameters", func(t *testing.T) {
		target := `{"refId":"A","version":2,"cubeQuery":{"measures":["survey_responses.nps"],"timeDimensions":[{"dimension":"survey_responses.responded_at","granularity":"month"}]}}`
		r := resource(t, d, "POST", "sql", `{"target":`+target+`,"range":{"from":"2025-01-01T00:00:00Z","to":"2025-04-02T00:00:00Z"}}`)
		var answer struct {
			CubeQuery map[string]any `json:"cubeQuery"`
			SQL       string         `json:"sql"`
			Params    []any          `json:"params"`
		}
		if r.Status != http.StatusOK || json.Unmarshal(r.Body, &answer) != nil {
			t.Fatalf("sql %d %s", r.Status, r.Body)
		}
		// Complete months before 2 April: January to March.
		sent, _ := json.Marshal(answer.CubeQuery["timeDimensions"])
		if string(sent) != `[{"dateRange":["2025-01-01T00:00:00.000","2025-03-31T23:59:59.999"],"dimension":"survey_responses.responded_at","granularity":"month"}]` {
			t.Fatalf("cubeQuery %s", sent)
		}
		if !regexp.MustCompile(`FROM\s+survey_responses`).MatchString(answer.SQL) ||
			!regexp.MustCompile(`"survey_responses"\.tenant_id = \$\d+`).MatchString(answer.SQL) {
			t.Fatalf("sql %s", answer.SQL)
		}
		params, _ := json.Marshal(answer.Params)
		for _, want := range []string{stack.WorkedExamples["surveys"], "2025-01-01T00:00:00.000Z", "2025-03-31T23:59:59.999Z"} {
			if !strings.Contains(string(params), `"`+want+`"`) {
				t.Fatalf("params %s lack %s", params, want)
			}
		}
	})

	t.Run("values lists a dimension's values, scoped by the range on a time dimension", func(t *testing.T) {
		w := dataSourceFor(t, "web")
		values := func(body string) []string {
			r := resource(t, w, "POST", "values", body)
			var answer struct {
				Values []string `json:"values"`
			}
			if r.Status != http.StatusOK || json.Unmarshal(r.Body, &answer) != nil {
				t.Fatalf("values %d %s", r.Status, r.Body)
			}
			return answer.Values
		}
		if got := values(`{"dimension":"web_sessions.channel"}`); strings.Join(got, ",") != "organic,referral" {
			t.Fatalf("values %v", got)
		}
		june := `"range":{"from":"2025-06-01T00:00:00Z","to":"2025-06-30T23:59:59Z"},"timeDimension":"web_sessions.started_at"`
		if got := values(`{"dimension":"web_sessions.channel",` + june + `,"filters":[{"member":"web_sessions.channel","operator":"notEquals","values":["organic"]}]}`); strings.Join(got, ",") != "referral" {
			t.Fatalf("values %v", got)
		}
		if got := values(`{"dimension":"web_sessions.channel","range":{"from":"2020-01-01T00:00:00Z","to":"2020-01-31T00:00:00Z"},"timeDimension":"web_sessions.started_at"}`); len(got) != 0 {
			t.Fatalf("values in 2020 %v", got)
		}
	})

	t.Run("errors are JSON {message}: Cube's words, or ours naming the field", func(t *testing.T) {
		for _, c := range []struct{ method, path, body, want string }{
			{"POST", "values", `{}`, "dimension: choose a dimension to list values of"},
			{"POST", "values", `{"dimension":"web_sessions.nope"}`, `not found`},
			{"POST", "sql", `{"target":{"version":2,"cubeQuery":{"measures":["a.b"]}}}`, `range: expected {"from": ISO time, "to": ISO time}`},
			{"POST", "sql", `{"target":{"version":2,"cubeQuery":{"measures":[1]}},"range":{"from":"2025-01-01T00:00:00Z","to":"2025-01-02T00:00:00Z"}}`, "Invalid Cube query: cubeQuery.measures.0"},
			{"GET", "nothing", ``, "no resource GET nothing"},
		} {
			r := resource(t, d, c.method, c.path, c.body)
			var answer struct {
				Message string `json:"message"`
			}
			if r.Status < 400 || json.Unmarshal(r.Body, &answer) != nil || !strings.Contains(answer.Message, c.want) {
				t.Fatalf("%s %s %s: %d %s, want %q", c.method, c.path, c.body, r.Status, r.Body, c.want)
			}
		}
	})
}

func TestLiveCompareDateRange(t *testing.T) {
	// January 2025 against February: 100 of 1,000 lost → 10 %, then no data (the example's data ends on 30 January).
	d := dataSourceFor(t, "churn")
	target := `{"refId":"A","version":2,"format":"table","cubeQuery":{"measures":["customer_health.churn_rate"],
		"timeDimensions":[{"dimension":"customer_health.lifecycle_date","compareDateRange":[["2025-01-01","2025-01-31"],["2025-02-01","2025-02-28"]]}]}}`
	frames := framesOf(t, run(t, d, target, "2024-01-01T00:00:00Z", "2026-01-01T00:00:00Z", nil))
	if len(frames) != 2 || frames[0].Name != "A 2025-01-01 – 2025-01-31" || frames[1].Name != "A 2025-02-01 – 2025-02-28" {
		t.Fatalf("frames %v", frames)
	}
	for i, want := range []float64{10, math.NaN()} {
		churn := fieldOf(t, frames[i], "customer_health.churn_rate")
		sameNumbers(t, frames[i].Name, numbers(churn), []float64{want})
		if !strings.HasSuffix(churn.Config.DisplayNameFromDS, ")") {
			t.Fatalf("display name %q does not name the range", churn.Config.DisplayNameFromDS)
		}
	}
	r := resource(t, d, "POST", "sql", `{"target":`+target+`,"range":{"from":"2024-01-01T00:00:00Z","to":"2026-01-01T00:00:00Z"}}`)
	var answer struct {
		SQL    string            `json:"sql"`
		Others []json.RawMessage `json:"others"`
	}
	if r.Status != http.StatusOK || json.Unmarshal(r.Body, &answer) != nil || answer.SQL == "" || len(answer.Others) != 1 {
		t.Fatalf("sql %d %s", r.Status, r.Body)
	}
}

func TestLiveCurrency(t *testing.T) {
	// CLV: $100 × 12 purchases a year × 1 year = 1,200, in the tenant's currency from the model
	// (tenants.currency), else jsonData.currency, else USD.
	ctx := context.Background()
	warehouse, err := pgx.Connect(ctx, stack.WarehouseURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = warehouse.Close(ctx) })
	setCurrency := func(tenant, code string) {
		if _, err := warehouse.Exec(ctx, "UPDATE tenants SET currency = $1 WHERE id = $2", code, stack.WorkedExamples[tenant]); err != nil {
			t.Fatal(err)
		}
	}
	setCurrency("clv", "EUR")
	t.Cleanup(func() { setCurrency("clv", "USD") })

	target := `{"refId":"A","version":2,"format":"table","cubeQuery":{"measures":["customer_value.clv"]}}`
	for _, c := range []struct {
		name, tenant, jsonData string
		// modelFails: the tenant's currency cannot be read (an older model, Cube refusing).
		modelFails bool
		unit       string
	}{
		{"the model's EUR wins over jsonData's GBP", "clv", `"currency":"GBP"`, false, "currencyEUR"},
		{"a tenant left at the model's default is USD, whatever jsonData says", "surveys", `"currency":"GBP"`, false, "currencyUSD"},
		{"the model cannot say: jsonData's GBP", "clv", `"currency":"GBP"`, true, "currencyGBP"},
		{"the model cannot say and jsonData has none: USD", "clv", ``, true, "currencyUSD"},
	} {
		t.Run(c.name, func(t *testing.T) {
			jsonData := `{"cubeUrl":"` + stack.CubeURL + `"` + map[bool]string{true: "," + c.jsonData, false: ""}[c.jsonData != ""] + `}`
			d := dataSourceFor(t, c.tenant, func(s *backend.DataSourceInstanceSettings) { s.JSONData = []byte(jsonData) })
			spy := &currencyLookupSpy{}
			spy.fail.Store(c.modelFails)
			d.client.HTTP = &http.Client{Transport: spy, Timeout: time.Minute}
			d.client.Backoff = time.Millisecond
			for range 2 {
				frames := framesOf(t, run(t, d, target, "2024-01-01T00:00:00Z", "2025-12-31T23:59:59Z", nil))
				clv := fieldOf(t, frames[0], "customer_value.clv")
				if c.tenant == "clv" {
					sameNumbers(t, "clv", numbers(clv), []float64{1200})
				}
				if clv.Config.Unit != c.unit {
					t.Fatalf("unit %q, want %q", clv.Config.Unit, c.unit)
				}
			}
			// Read once per data source when it answers; asked again (not cached) when it fails.
			if want := map[bool]int32{false: 1, true: 0}[c.modelFails]; spy.lookups.Load() != want {
				t.Fatalf("%d currency lookups answered, want %d", spy.lookups.Load(), want)
			}
		})
	}
	t.Run("a panel without money does not ask", func(t *testing.T) {
		d := dataSourceFor(t, "surveys")
		spy := &currencyLookupSpy{}
		d.client.HTTP = &http.Client{Transport: spy, Timeout: time.Minute}
		framesOf(t, run(t, d, `{"refId":"A","version":2,"format":"table","cubeQuery":{"measures":["survey_responses.nps"]}}`,
			"2025-01-01T00:00:00Z", "2025-12-31T23:59:59Z", nil))
		if spy.lookups.Load() != 0 {
			t.Fatalf("%d currency lookups for NPS", spy.lookups.Load())
		}
	})
}

// currencyLookupSpy counts the tenant-currency queries Cube answers, and fails them while fail is set.
type currencyLookupSpy struct {
	lookups atomic.Int32
	fail    atomic.Bool
}

func (s *currencyLookupSpy) RoundTrip(request *http.Request) (*http.Response, error) {
	if request.Body != nil {
		body, err := io.ReadAll(request.Body)
		if err != nil {
			return nil, err
		}
		request.Body = io.NopCloser(bytes.NewReader(body))
		if strings.Contains(string(body), `"tenants.currency"`) {
			if s.fail.Load() {
				return nil, errors.New("connection refused")
			}
			s.lookups.Add(1)
		}
	}
	return http.DefaultTransport.RoundTrip(request)
}
