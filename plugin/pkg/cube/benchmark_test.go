package cube

import (
	"encoding/json"
	"testing"
)

func TestBenchmarkOf(t *testing.T) {
	const window = `"window":{"grain":"month","time_dimension":"at"}`
	const bands = `"bands":[{"label":"poor","from":null,"to":10},{"label":"good","from":10,"to":null}]`
	cases := []struct {
		name, meta string
		// wantIssue: the message CheckHealth shows; "" for a benchmark that is used.
		wantIssue string
	}{
		{"a banded benchmark", `{"kpi":true,"benchmark":{"direction":"higher_is_better","unit":"percent",` + bands + `,"source":"somewhere reputable",` + window + `}}`, ""},
		{"no benchmark, with a reason", `{"kpi":true,"benchmark":{"none":true,"reason":"nobody publishes this",` + window + `}}`, ""},
		{"not a KPI", `{"kpi":false,"benchmark":{}}`, "m.x: meta.kpi: expected true"},
		{"an unknown direction", `{"kpi":true,"benchmark":{"direction":"up","unit":"percent",` + bands + `,"source":"somewhere reputable",` + window + `}}`,
			"m.x: meta.benchmark.direction: expected one of higher_is_better, lower_is_better"},
		{"bands with a gap", `{"kpi":true,"benchmark":{"direction":"higher_is_better","unit":"percent","bands":[{"label":"poor","from":null,"to":10},{"label":"good","from":20,"to":null}],"source":"somewhere reputable",` + window + `}}`,
			"m.x: meta.benchmark.bands: band poor ends at 10 but good starts at 20"},
		{"bands in the wrong direction", `{"kpi":true,"benchmark":{"direction":"lower_is_better","unit":"percent",` + bands + `,"source":"somewhere reputable",` + window + `}}`,
			"m.x: meta.benchmark.bands: bands must run from poor to excellent in the lower_is_better direction"},
		{"a source too short to say anything", `{"kpi":true,"benchmark":{"direction":"higher_is_better","unit":"percent",` + bands + `,"source":"me",` + window + `}}`,
			"m.x: meta.benchmark.source: expected the source the bands come from"},
		{"no window", `{"kpi":true,"benchmark":{"none":true,"reason":"nobody publishes this"}}`,
			"m.x: meta.benchmark.window: expected the window the KPI is judged on, e.g. { grain: month, time_dimension: started_at }"},
		{"a monthly window without its time dimension", `{"kpi":true,"benchmark":{"none":true,"reason":"nobody publishes this","window":{"grain":"month"}}}`,
			"m.x: meta.benchmark.window.time_dimension: a month window needs the time dimension it runs on"},
		{"needs subscriptions", `{"kpi":true,"needs":["subscriptions"],"benchmark":{"none":true,"reason":"nobody publishes this",` + window + `}}`, ""},
		{"a need this code does not know", `{"kpi":true,"needs":["orders"],"benchmark":{"none":true,"reason":"nobody publishes this",` + window + `}}`,
			`m.x: meta.needs.0: Invalid input: expected "subscriptions"`},
		{"an empty list of needs", `{"kpi":true,"needs":[],"benchmark":{"none":true,"reason":"nobody publishes this",` + window + `}}`,
			"m.x: meta.needs: Too small: expected array to have >=1 items"},
		{"filters without a scope", `{"kpi":true,"benchmark":{"none":true,"reason":"nobody publishes this","window":{"grain":"lifetime","filters":[{"dimension":"platform","equals":["x"]}]}}}`,
			"m.x: meta.benchmark.window.scope: filters and scope go together: scope says in words what the filters keep"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var meta any
			if err := json.Unmarshal([]byte(c.meta), &meta); err != nil {
				t.Fatal(err)
			}
			benchmark, issue := BenchmarkOf("m.x", meta)
			if issue != c.wantIssue || (c.wantIssue == "") != (benchmark != nil) {
				t.Fatalf("benchmark %v, issue %q; want issue %q", benchmark, issue, c.wantIssue)
			}
		})
	}
	if benchmark, issue := BenchmarkOf("m.x", map[string]any{"kpi": true}); benchmark != nil || issue != "" {
		t.Fatalf("meta without a benchmark: %v %q", benchmark, issue)
	}
}

func TestCurrencyUnits(t *testing.T) {
	currency := Benchmark{"direction": "higher_is_better", "unit": "currency", "bands": []any{}, "source": "x"}
	for _, c := range []struct {
		member Member
		want   string
	}{
		{Member{Name: "v.clv", Format: "currency"}, "currencyUSD"},
		{Member{Name: "v.clv", Format: "currency", Currency: "EUR"}, "currencyEUR"},
		{Member{Name: "v.clv", Format: "currency", Currency: "cad"}, "currency:CAD "},
		{Member{Name: "v.clv", Benchmark: currency, Currency: "GBP"}, "currencyGBP"},
		{Member{Name: "v.count", Currency: "EUR"}, "short"},
	} {
		if got := UnitOf(c.member); got != c.want {
			t.Errorf("%+v: unit %q, want %q", c.member, got, c.want)
		}
	}
}
