package cube

import (
	"errors"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// A KPI answer of a churn measure built on subscriptions, and of NPS, which is not.
const needsAnswer = `{"data":[%s],"annotation":{"measures":{
	"c.churn":{"type":"number","meta":{"kpi":true,"needs":["subscriptions"],"benchmark":{"none":true,"reason":"nobody publishes this","window":{"grain":"lifetime"}}}},
	"c.nps":{"type":"number","meta":{"kpi":true,"benchmark":{"none":true,"reason":"nobody publishes this","window":{"grain":"lifetime"}}}}},
	"dimensions":{},"timeDimensions":{}}}`

func kpiFrames(t *testing.T, rows string) data.Frames {
	t.Helper()
	body := []byte(strings.Replace(needsAnswer, "%s", rows, 1))
	frames, err := Frames(body, Query{"measures": []any{"c.churn", "c.nps"}}, FrameOptions{RefID: "A", Format: "table"})
	if err != nil {
		t.Fatal(err)
	}
	return frames
}

func noValues(t *testing.T, frames data.Frames) (churn, nps string) {
	t.Helper()
	c, _ := frames[0].FieldByName("c.churn")
	n, _ := frames[0].FieldByName("c.nps")
	return c.Config.NoValue, n.Config.NoValue
}

func TestExplainMissing(t *testing.T) {
	lacking := func() (bool, error) { return false, nil }
	unasked := func() (bool, error) {
		t.Fatal("asked whether the tenant has subscriptions without an empty KPI")
		return false, nil
	}

	t.Run("an empty KPI built on subscriptions, for a tenant without any, says so; NPS does not", func(t *testing.T) {
		frames := kpiFrames(t, `{"c.churn":null,"c.nps":null}`)
		if err := ExplainMissing(frames, lacking); err != nil {
			t.Fatal(err)
		}
		if churn, nps := noValues(t, frames); churn != "Needs subscriptions" || nps != "" {
			t.Fatalf("noValue %q %q", churn, nps)
		}
		custom, _ := frames[0].Fields[0].Config.Custom["needs"].([]string)
		if len(custom) != 1 || custom[0] != "subscriptions" {
			t.Fatalf("custom.needs %v", frames[0].Fields[0].Config.Custom)
		}
	})
	t.Run("no rows at all is empty too", func(t *testing.T) {
		frames := kpiFrames(t, ``)
		if err := ExplainMissing(frames, lacking); err != nil {
			t.Fatal(err)
		}
		if churn, _ := noValues(t, frames); churn != "Needs subscriptions" {
			t.Fatalf("noValue %q", churn)
		}
	})
	t.Run("a tenant with subscriptions: plain no data (after its data ends, say)", func(t *testing.T) {
		frames := kpiFrames(t, `{"c.churn":null,"c.nps":null}`)
		if err := ExplainMissing(frames, func() (bool, error) { return true, nil }); err != nil {
			t.Fatal(err)
		}
		if churn, _ := noValues(t, frames); churn != "" {
			t.Fatalf("noValue %q", churn)
		}
	})
	t.Run("a KPI with a value asks nothing", func(t *testing.T) {
		frames := kpiFrames(t, `{"c.churn":"2.5","c.nps":null}`)
		if err := ExplainMissing(frames, unasked); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a check that fails leaves plain no data and returns its error", func(t *testing.T) {
		frames := kpiFrames(t, `{"c.churn":null,"c.nps":null}`)
		failure := errors.New("Cannot reach Cube")
		if err := ExplainMissing(frames, func() (bool, error) { return false, failure }); !errors.Is(err, failure) {
			t.Fatalf("error %v", err)
		}
		if churn, _ := noValues(t, frames); churn != "" {
			t.Fatalf("noValue %q", churn)
		}
	})
}

func TestHasSubscriptions(t *testing.T) {
	for _, c := range []struct {
		body string
		want bool
	}{
		{`{"data":[{"customer_lifecycle.customers_ever_subscribed":"1000"}]}`, true},
		{`{"data":[{"customer_lifecycle.customers_ever_subscribed":"0"}]}`, false},
		{`{"data":[{"customer_lifecycle.customers_ever_subscribed":null}]}`, false},
		{`{"data":[]}`, false},
	} {
		if got, err := HasSubscriptions([]byte(c.body)); err != nil || got != c.want {
			t.Errorf("%s: %v %v, want %v", c.body, got, err, c.want)
		}
	}
	if _, err := HasSubscriptions([]byte(`[]`)); err == nil {
		t.Error("an answer that is not an object was read")
	}
}
