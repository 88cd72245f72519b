package plugin

import (
	"bytes"
	"errors"
	"io"
	"math"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/engagement-metrics/engagement-grafana-app/pkg/cube"
)

// subscriptionsCheckSpy counts the data source's "has the tenant subscriptions?" queries to
// Cube, and fails them while fail is set, as an unreachable Cube would.
type subscriptionsCheckSpy struct {
	checks atomic.Int32
	fail   atomic.Bool
}

func (s *subscriptionsCheckSpy) RoundTrip(request *http.Request) (*http.Response, error) {
	if request.Body != nil {
		body, err := io.ReadAll(request.Body)
		if err != nil {
			return nil, err
		}
		request.Body = io.NopCloser(bytes.NewReader(body))
		if strings.Contains(string(body), `{"query":{"measures":["customer_lifecycle.customers_ever_subscribed"]}}`) {
			if s.fail.Load() {
				return nil, errors.New("connection refused")
			}
			s.checks.Add(1)
		}
	}
	return http.DefaultTransport.RoundTrip(request)
}

const monthlyChurn = `{"refId":"A","version":2,"format":"time_series",
	"cubeQuery":{"measures":["customer_health.churn_rate"],"timeDimensions":[{"dimension":"customer_health.lifecycle_date","granularity":"month"}]}}`

func TestLiveNeedsSubscriptions(t *testing.T) {
	churnOf := func(d *Datasource, from, to string) (float64, string) {
		t.Helper()
		frames := framesOf(t, run(t, d, monthlyChurn, from, to, nil))
		churn := fieldOf(t, frames[0], "customer_health.churn_rate")
		values := numbers(churn)
		if len(values) != 1 {
			t.Fatalf("churn %v, want one month", values)
		}
		return values[0], churn.Config.NoValue
	}

	t.Run("the marketing example has no subscriptions: its churn reads \"Needs subscriptions\", checked once", func(t *testing.T) {
		d := dataSourceFor(t, "marketing")
		spy := &subscriptionsCheckSpy{}
		d.client.HTTP = &http.Client{Transport: spy, Timeout: time.Minute}
		d.client.Backoff = time.Millisecond
		// A failed check is not cached: the panel shows plain no data and the next query asks again.
		spy.fail.Store(true)
		if churn, noValue := churnOf(d, "2025-01-01T00:00:00Z", "2025-01-31T23:59:59.999Z"); !math.IsNaN(churn) || noValue != "" {
			t.Fatalf("with the check failing: churn %v, noValue %q", churn, noValue)
		}
		spy.fail.Store(false)
		for range 2 {
			if churn, noValue := churnOf(d, "2025-01-01T00:00:00Z", "2025-01-31T23:59:59.999Z"); !math.IsNaN(churn) || noValue != cube.NeedsSubscriptionsText {
				t.Fatalf("churn %v, noValue %q", churn, noValue)
			}
		}
		if n := spy.checks.Load(); n != 1 {
			t.Fatalf("%d subscription checks reached Cube, want 1 (cached per data source)", n)
		}
	})

	t.Run("the churn example after its data ends (30 January 2025): February is plain no data", func(t *testing.T) {
		d := dataSourceFor(t, "churn")
		if churn, noValue := churnOf(d, "2025-02-01T00:00:00Z", "2025-02-28T23:59:59.999Z"); !math.IsNaN(churn) || noValue != "" {
			t.Fatalf("churn %v, noValue %q", churn, noValue)
		}
		if churn, noValue := churnOf(d, "2025-01-01T00:00:00Z", "2025-01-31T23:59:59.999Z"); churn != 10 || noValue != "" {
			t.Fatalf("January: churn %v, noValue %q", churn, noValue)
		}
	})
}
